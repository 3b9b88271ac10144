// where a pipeline's images come from is looked up in one place, @gantry/oci (signature facts there use it too)
export { imageHome } from '@gantry/oci';
