// Light and dark themes: CSS variables switched by data-theme on <html>; the choice is kept in
// localStorage and defaults to the system's preference.
import { create } from 'zustand';

export type Theme = 'light' | 'dark';

const KEY = 'tandem.theme';

function initialTheme(): Theme {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(KEY) : null;
  if (saved === 'light' || saved === 'dark') return saved;
  return typeof matchMedia !== 'undefined' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

interface ThemeState {
  theme: Theme;
  setTheme(theme: Theme): void;
  toggle(): void;
}

export const useTheme = create<ThemeState>((set, get) => ({
  theme: initialTheme(),
  setTheme(theme) {
    localStorage.setItem(KEY, theme);
    document.documentElement.dataset.theme = theme;
    set({ theme });
  },
  toggle() {
    get().setTheme(get().theme === 'dark' ? 'light' : 'dark');
  },
}));

export function applyTheme(): void {
  document.documentElement.dataset.theme = useTheme.getState().theme;
}

/** Chart colours that read in both themes, one per strategy / series. */
export const SERIES_COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#b07aa1', '#76b7b2', '#edc948', '#9c755f', '#ff9da7', '#bab0ac'];
