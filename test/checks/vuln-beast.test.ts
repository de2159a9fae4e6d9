import { vulnBeast } from '../../src/checks/vuln-beast.js';
import { vulnerabilityCases } from './helpers.js';

vulnerabilityCases(vulnBeast, { vulnerability: 'beast', name: 'BEAST', reference: 'CVE-2011-3389', severity: 'low' });
