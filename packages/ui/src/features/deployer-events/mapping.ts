import type { ApiDeployerEvent, ApiDeployerRef } from '@gantry/api';

/** The `deployer:` line a phase of gantry.yaml would carry to match a report. */
export function mappingYaml(ref: ApiDeployerRef): string {
  const namespace = ref.namespace !== undefined ? `, namespace: ${ref.namespace}` : '';
  return `deployer: { kind: ${ref.kind}${namespace}, name: ${ref.name} }`;
}

/** `Kustomization flux-system/billing`: the object a report is about. */
export function objectLabel(e: Pick<ApiDeployerEvent, 'object'>): string {
  const { kind, namespace, name } = e.object;
  return `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
}
