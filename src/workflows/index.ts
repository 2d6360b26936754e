// The worker's only workflowsPath and the production bundle entry: explicit named re-exports.
export { subscriptionWorkflow } from './subscription';
