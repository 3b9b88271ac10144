import type { Promotion } from '@gantry/store';

/**
 * The dashboard page of a promotion (its phase, with the promotion selected), under the
 * configured public URL (`notifications.dashboardUrl`), as notifications link to it.
 */
export function promotionPage(dashboardUrl: string | undefined): ((p: Promotion) => string | undefined) | undefined {
  const base = dashboardUrl?.replace(/\/+$/, '');
  if (!base) return undefined;
  return (p) =>
    `${base}/pipelines/${encodeURIComponent(p.pipeline)}/phases/${encodeURIComponent(p.phase)}?promotion=${encodeURIComponent(p.id)}`;
}
