import { vulnHeartbleed } from '../../src/checks/vuln-heartbleed.js';
import { vulnerabilityCases } from './helpers.js';

vulnerabilityCases(vulnHeartbleed, { vulnerability: 'heartbleed', name: 'Heartbleed', reference: 'CVE-2014-0160', severity: 'critical' });
