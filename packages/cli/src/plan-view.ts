/** What the CLI shows of a plan: the engine's PromotionPlan and the API's JSON both fit. */
export type PlanView =
  | { readonly kind: 'in-sync'; readonly current: { readonly version: string } }
  | { readonly kind: 'blocked'; readonly reason: string }
  | {
      readonly kind: 'promote';
      readonly pipeline: string;
      readonly phase: string;
      readonly reason: string;
      readonly diff: string;
      readonly target: { readonly version: string; readonly digest: string };
      readonly current?: { readonly version: string };
    };
