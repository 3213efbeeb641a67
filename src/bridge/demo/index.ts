export { runDemo, type DemoOptions, type DemoRun, type DemoStep, type DemoTicketView } from './demo-exchange.js';
export { demoPage, DEMO_CSS, type DemoPageInput } from './demo-page.js';
export { demoExtension, type DemoExtensionOptions } from './demo-routes.js';
