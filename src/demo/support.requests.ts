// The demo's service requests: a few of Demo Reseller's customers' problems, each made and worked on at a time
// before the seed runs, so the console shows a real mix on first start — one closed with a note and a log file,
// one waiting on the customer after two notes, one critical that nobody has answered and is overdue.
import type { ContactInput, UpdateInput } from '../modules/support/serviceRequests.service.ts';

/** Who at the partner does a step: its Global admin, or its Helpdesk agent. */
export type DemoActor = 'admin' | 'helpdesk';

export interface DemoServiceRequest {
  /** The demo customer's company name. */
  customer: string;
  /** The subscription it is about: its friendly name, or its offer id when it has none. */
  subscription?: string;
  title: string;
  description: string;
  severity: 'critical' | 'moderate' | 'minimal';
  topic: string;
  contact: ContactInput;
  /**
   * How long before the seed it was made, in minutes, given the response targets: the overdue one is made an
   * hour longer ago than its target, whatever the targets are set to.
   */
  madeMinutesAgo(targets: Record<'critical' | 'moderate' | 'minimal', number>): number;
  by: DemoActor;
  /** Assigned to the Helpdesk agent when made. */
  assignToHelpdesk?: boolean;
  /** Text files attached when it was made. */
  files?: { fileName: string; text: string }[];
  /** What happened since, oldest first, each that many minutes before the seed. */
  steps: { minutesAgo: number; by: DemoActor; update: UpdateInput }[];
}

const DAY = 1440;

const SYNC_LOG = [
  '08:14:03 INFO  Sync client 24.1 started for casey.johnson@wingtiptravel.onpartnerdesk.com',
  '08:14:09 WARN  Cannot sync "Itineraries/2025/Client folders/…/Final confirmed bookings (copy).pdf": path is longer than 400 characters',
  '08:14:09 WARN  Cannot sync "Itineraries/2025/Client folders/…/Final confirmed bookings (copy 2).pdf": path is longer than 400 characters',
  '08:14:12 INFO  3,214 files up to date; 2 not synced',
  '',
].join('\n');

/** Made in this order, so their reference numbers follow their age (SR-000001 the oldest). */
export const DEMO_SERVICE_REQUESTS: { partner: string; requests: readonly DemoServiceRequest[] } = {
  partner: 'Demo Reseller',
  requests: [
    {
      customer: 'Wingtip Travel',
      subscription: 'M365-BUSINESS-BASIC',
      title: 'OneDrive warns that two files cannot sync',
      description:
        'Two laptops in the Boston office show a OneDrive warning every morning: two files in the shared ' +
        'itineraries library "cannot be synced". Nothing seems lost. The sync log of one laptop is attached.',
      severity: 'minimal',
      topic: 'microsoft365',
      contact: {
        firstName: 'Casey',
        lastName: 'Johnson',
        email: 'casey.johnson@wingtip-travel.example',
        phoneNumber: '+1 617 555 0142',
      },
      madeMinutesAgo: () => 6 * DAY,
      by: 'helpdesk',
      files: [{ fileName: 'onedrive-sync.log', text: SYNC_LOG }],
      steps: [
        {
          minutesAgo: 5 * DAY,
          by: 'helpdesk',
          update: {
            status: 'closed',
            newNote: {
              text:
                'The two files sit in folders nested so deep that their paths pass 400 characters. Casey moved ' +
                'the client folders one level up; both laptops sync cleanly now. Closing.',
            },
          },
        },
      ],
    },
    {
      customer: 'Alpine Ski House',
      subscription: 'M365-E3',
      title: 'Ski school bookings mailbox receives nothing since Friday',
      description:
        'The shared mailbox bookings@ has received no mail since Friday afternoon, although customers say ' +
        'their messages were sent. Other mailboxes work. Bookings for the season start next week.',
      severity: 'moderate',
      topic: 'microsoft365',
      contact: { firstName: 'Morgan', lastName: 'Lee', email: 'morgan.lee@alpine-ski-house.example' },
      madeMinutesAgo: () => 26 * 60,
      by: 'admin',
      assignToHelpdesk: true,
      steps: [
        {
          minutesAgo: 25 * 60,
          by: 'helpdesk',
          update: {
            status: 'attentionNeeded',
            newNote: {
              text:
                'The mailbox has a forwarding rule, added on Friday, that sends everything to an address ' +
                'outside the company. Asked Morgan whether someone there set it up before we remove it.',
            },
          },
        },
        {
          minutesAgo: 3 * 60,
          by: 'helpdesk',
          update: {
            newNote: {
              text: 'Called Morgan again: they are checking with the ski school office and will answer today.',
            },
          },
        },
      ],
    },
    {
      customer: 'Contoso Pharmacy',
      subscription: 'Pharmacy staff',
      title: 'Pharmacy tills cannot sign in to Microsoft 365',
      description:
        'Since the morning no till in the three Redmond pharmacies can sign in: every staff account gets ' +
        '"Your account or password is incorrect". Prescriptions are being written by hand.',
      severity: 'critical',
      topic: 'identity',
      contact: {
        firstName: 'Avery',
        lastName: 'Chen',
        email: 'avery.chen@contoso-pharmacy.example',
        phoneNumber: '+1 425 555 0100',
      },
      madeMinutesAgo: (targets) => targets.critical + 60,
      by: 'admin',
      steps: [],
    },
  ],
};
