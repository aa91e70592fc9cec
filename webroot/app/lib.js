// The UI toolkit: Preact with htm templates (no build step), from webroot/vendor/.
import { h, render } from '/vendor/preact/preact.module.js';
import { useState, useEffect, useRef, useCallback, useMemo } from '/vendor/preact/hooks.module.js';
import htm from '/vendor/htm/htm.module.js';

export const html = htm.bind(h);
export { render, useState, useEffect, useRef, useCallback, useMemo };
