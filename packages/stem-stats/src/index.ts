// @siteproof/stem-stats public API.
export {};
