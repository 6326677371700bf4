// Every job type the app runs, registered at startup (web process and workers alike).
// Add a feature's jobs here.
export {};
