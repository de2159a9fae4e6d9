import { vulnSweet32 } from '../../src/checks/vuln-sweet32.js';
import { vulnerabilityCases } from './helpers.js';

vulnerabilityCases(vulnSweet32, { vulnerability: 'sweet32', name: 'SWEET32', reference: 'CVE-2016-2183', severity: 'medium' });
