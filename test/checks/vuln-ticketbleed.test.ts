import { vulnTicketbleed } from '../../src/checks/vuln-ticketbleed.js';
import { vulnerabilityCases } from './helpers.js';

vulnerabilityCases(vulnTicketbleed, { vulnerability: 'ticketbleed', name: 'Ticketbleed', reference: 'CVE-2016-9244', severity: 'critical' });
