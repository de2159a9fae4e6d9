import { vulnLogjam } from '../../src/checks/vuln-logjam.js';
import { vulnerabilityCases } from './helpers.js';

vulnerabilityCases(vulnLogjam, { vulnerability: 'logjam', name: 'Logjam', reference: 'CVE-2015-4000', severity: 'high' });
