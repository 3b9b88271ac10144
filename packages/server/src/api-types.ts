/**
 * The API's JSON types live in `@gantry/api`, the contract the server, the client and the
 * dashboard share; re-exported here for code that still imports them from the server.
 */
export type {
  ApiEvent,
  ApiHistory,
  ApiPhaseDetail,
  ApiPhaseStatus,
  ApiPipelineList,
  ApiPipelineStatus,
  ApiPlan,
  ApiProblem,
  ApiPromoteBody,
  ApiPromoteResult,
  ApiPromotion,
  ApiPromotionDetail,
} from '@gantry/api';
