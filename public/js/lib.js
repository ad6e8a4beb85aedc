// Preact, its hooks and htm, served from node_modules at /vendor/ (no bundler, no CDN).
import { h, render, Fragment } from '/vendor/preact.mjs';
import { useState, useEffect, useCallback, useMemo, useRef, useReducer } from '/vendor/preact-hooks.mjs';
import htm from '/vendor/htm.mjs';

export const html = htm.bind(h);
export { render, Fragment, useState, useEffect, useCallback, useMemo, useRef, useReducer };
