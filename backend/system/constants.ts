/** Troika's version, shown in the UI and the hello reply. */
export const VERSION = '0.1.0';

/** The product's promise: up to three agents side by side; more would not fit a screen or a budget. */
export const MAX_AGENTS = 3;
