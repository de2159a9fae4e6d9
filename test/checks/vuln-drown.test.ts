import { vulnDrown } from '../../src/checks/vuln-drown.js';
import { vulnerabilityCases } from './helpers.js';

vulnerabilityCases(vulnDrown, { vulnerability: 'drown', name: 'DROWN', reference: 'CVE-2016-0800', severity: 'critical' });
