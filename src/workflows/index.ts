/** Workflow entry points: the worker's workflowsPath and the production bundle. Explicit named re-exports only. */
export { subscriptionWorkflow } from './subscription';
