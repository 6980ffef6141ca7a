import { installMenuEscape, installThemeKeys } from './keys.ts';

installThemeKeys();
installMenuEscape();
