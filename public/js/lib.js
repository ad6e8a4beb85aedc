// Preact and htm, served from node_modules at /vendor/ (no bundler, no CDN).
import { h, render, Component } from '/vendor/preact.mjs';
import htm from '/vendor/htm.mjs';

export const html = htm.bind(h);
export { render, Component };
