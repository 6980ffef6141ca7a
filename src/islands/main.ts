import { installMenuEscape, installThemeKeys } from './keys.ts';
import { installZoom } from './zoom.ts';
import { installFacades } from './facade.ts';
import { installByDate } from './by-date.ts';
import { installPeriod } from './period.ts';

installThemeKeys();
installMenuEscape();
installZoom();
installFacades();
installByDate();
installPeriod();
