/**
 * `gantry/testing`: test your own pipelines against a real Git repository and registry
 * in a temp dir (see `createPipelineSandbox`).
 */
export type { PipelineSandbox, PipelineSandboxOptions, SandboxCommit } from '@gantry/testing';
export { createPipelineSandbox } from '@gantry/testing';
