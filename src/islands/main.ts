import { installMenuEscape, installThemeKeys } from './keys.ts';
import { installZoom } from './zoom.ts';
import { installFacades } from './facade.ts';

installThemeKeys();
installMenuEscape();
installZoom();
installFacades();
