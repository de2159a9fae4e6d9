import { vulnRobot } from '../../src/checks/vuln-robot.js';
import { vulnerabilityCases } from './helpers.js';

vulnerabilityCases(vulnRobot, { vulnerability: 'robot', name: 'ROBOT', reference: 'CVE-2017-13099 et al.', severity: 'critical' });
