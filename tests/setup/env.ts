// Runs before every test file (vitest setupFiles). Test-wide environment defaults.
process.env.NODE_ENV ??= "test";
