// Seeded PRNG (mulberry32) and normal deviates: every bootstrap and Monte-Carlo result is
// reproducible from its seed. One implementation for all packages, in @siteproof/core.
export { gaussian, mulberry32 } from '@siteproof/core';
