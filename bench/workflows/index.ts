export { baselineWorkflow, baselineSignal, baselineCheckoutUpdate } from './baseline';
