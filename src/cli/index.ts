export { main, processIo } from './main.js';
export type { CliIo, CommandModule } from './command.js';
