/**
 * Preloaded (`node --import`) into a profiled server: `--cpu-prof` writes its profile only on a normal
 * exit, and npm start's stop signals end the process by the signal itself. SIGUSR2 exits normally.
 */
process.once('SIGUSR2', () => process.exit(0));
