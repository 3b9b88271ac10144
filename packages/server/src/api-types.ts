import type { z } from '@hono/zod-openapi';
import type {
  historySchema,
  phaseDetailSchema,
  phaseStatusSchema,
  pipelineListSchema,
  pipelineStatusSchema,
  planSchema,
  problemSchema,
  promoteBodySchema,
  promoteResultSchema,
  promotionApiSchema,
  promotionDetailSchema,
} from './api-schemas.js';

/** The API's JSON shapes, derived from the schemas that validate and document them. */
export type ApiPipelineList = z.infer<typeof pipelineListSchema>;
export type ApiPipelineStatus = z.infer<typeof pipelineStatusSchema>;
export type ApiPhaseStatus = z.infer<typeof phaseStatusSchema>;
export type ApiPhaseDetail = z.infer<typeof phaseDetailSchema>;
export type ApiPlan = z.infer<typeof planSchema>;
export type ApiPromoteBody = z.input<typeof promoteBodySchema>;
export type ApiPromoteResult = z.infer<typeof promoteResultSchema>;
export type ApiPromotion = z.infer<typeof promotionApiSchema>;
export type ApiPromotionDetail = z.infer<typeof promotionDetailSchema>;
export type ApiHistory = z.infer<typeof historySchema>;
export type ApiProblem = z.infer<typeof problemSchema>;
/** An event of /api/v1/events. */
export type ApiEvent =
  | { readonly type: 'promotion'; readonly promotion: ApiPromotion }
  | { readonly type: 'phase'; readonly status: ApiPhaseStatus };
