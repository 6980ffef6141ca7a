import { installMenuEscape, installThemeKeys } from './keys.ts';
import { installZoom } from './zoom.ts';
import { installFacades } from './facade.ts';
import { installByDate } from './by-date.ts';
import { installPeriod } from './period.ts';
import { installSectionLinks } from './section-links.ts';
import { installLanguageHash } from './lang-hash.ts';

installThemeKeys();
installMenuEscape();
installZoom();
installFacades();
installByDate();
installPeriod();
installSectionLinks();
installLanguageHash();
