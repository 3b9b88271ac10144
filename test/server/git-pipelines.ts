/**
 * The smallest Git-only fleet for server tests: pipelines staging -> production whose files
 * are Deployments in a config repository, each pinning `registry.example.com/app` by digest.
 */

/** A Deployment whose container `app` runs `<image>@<digest>` (by default `registry.example.com/app`). */
export const deploymentYaml = (digest: string, image = 'registry.example.com/app'): string => `apiVersion: apps/v1
kind: Deployment
metadata: { name: app }
spec:
  template:
    spec:
      containers:
        - name: app
          image: ${image}@${digest}
`;

/** One gantry.yaml pipeline entry: staging and production read `<name>/<phase>.yaml` in `repository`. */
export const gitPipelineYaml = (name: string, repository: string): string => `  - name: ${name}
    resource: oci-image
    phases:
      - name: staging
        source: { type: git, repository: ${repository}, path: ${name}/staging.yaml, updater: { type: kubernetes-image, container: app } }
      - name: production
        promotesFrom: staging
        source: { type: git, repository: ${repository}, path: ${name}/production.yaml, updater: { type: kubernetes-image, container: app } }
`;
