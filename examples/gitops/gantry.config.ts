// The example pipeline as code: an image tag in the sandbox registry flows to staging,
// then to production, each a file in the config repository. Flux applies staging and Argo CD
// production; what they report (gantry sandbox deploy plays them) verifies each version.
import { defineConfig, gitFile, kubernetesImage, ociImage, ociImageSource, pipeline } from 'gantry';

// One updater for both environments: the `app` container's image, mirrored into APP_IMAGE_DIGEST.
const updater = kubernetesImage({ container: 'app', envVar: 'APP_IMAGE_DIGEST' });

const app = pipeline({ name: 'app', resource: ociImage, labels: { team: 'example' } });

const oci = app.phase('oci', {
  source: ociImageSource({ registry: 'sandbox', repository: 'app', select: { by: 'tag', tag: 'latest' } }),
});

const staging = app.phase('staging', {
  promotesFrom: oci,
  labels: { environment: 'staging' },
  source: gitFile({ repository: 'config', path: 'env/staging/deployment.yaml', updater }),
  // the Flux Kustomization that applies env/staging: healthy there is verified here
  deployer: { kind: 'flux-kustomization', namespace: 'flux-system', name: 'app-staging' },
});

app.phase('production', {
  promotesFrom: staging,
  labels: { environment: 'production' },
  message: 'release {{version}} to production',
  source: gitFile({ repository: 'config', path: 'env/production/deployment.yaml', updater }),
  deployer: { kind: 'argocd-application', namespace: 'argocd', name: 'app-production' },
});

export default defineConfig({ pipelines: [app] });
