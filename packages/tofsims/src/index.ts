// @siteproof/tofsims public API.
export {};
