export { baselineWorkflow, baselineSignal } from './baseline';
