// Seed data of the Apptentive emulator: two apps, each with its own OAuth token, feedback records and surveys.
// Deterministic (fixed dates, seeded PRNG) so ETags are stable between runs. Includes hostile strings
// (`<img src=x onerror=alert(1)>`) in one record's feedback, one user's name and one survey answer, to exercise
// escaping downstream.
import { objectId, pick, seededRandom, sha256 } from '../shared/http';

export interface ApptentiveDevice {
  _id: string;
  board: string | null; bootloader_version: string | null; brand: string | null; build_id: string | null; build_type: string | null;
  carrier: string | null; cpu: string | null; current_carrier: string | null; device: string | null; manufacturer: string | null;
  model: string | null; network_type: string | null; os_build: string | null; os_name: string | null; os_version: string | null;
  product: string | null; radio_version: string | null; uuid: string | null;
}
export const DEVICE_KEYS = [
  'board', 'bootloader_version', 'brand', 'build_id', 'build_type', 'carrier', 'cpu', 'current_carrier', 'device', 'manufacturer',
  'model', 'network_type', 'os_build', 'os_name', 'os_version', 'product', 'radio_version', 'uuid',
] as const;

export interface ApptentiveUser {
  _id: string;
  birthday: string | null; city: string | null; country: string | null; email: string | null; name: string | null;
  phone_number: string | null; state: string | null; street: string | null; zip: string | null;
}
export interface ApptentiveFeedback { _id: string; feedback: string; source: string | null; type: string | null }
export interface ApptentiveAppVersion { _id: string; version: string | null; build_number: string | null; primary_locale: string | null; supported_locales: string[] }
export interface ApptentiveClient { _id: string; version: string | null; language: string | null; author: string | null; platform: string | null }
export interface ApptentiveFile { name: string; content_type: string | null; size: number }

export interface ApptentiveRecord {
  id: string;
  summary: string;
  device: ApptentiveDevice;
  user: ApptentiveUser;
  feedback: ApptentiveFeedback | null;
  date: string;
  archived: boolean;
  app_version: ApptentiveAppVersion;
  client: ApptentiveClient;
  data: Record<string, unknown>;
  survey?: { id: string; name: string; completion_time: string | null; responses: Record<string, string | string[]> };
  files?: ApptentiveFile[];
}

export interface SurveyQuestion {
  id: string;
  value: string;
  type: 'multichoice' | 'multiselect' | 'singleline';
  required: boolean;
  instructions?: string;
  min_selections?: number;
  max_selections?: number;
  answer_choices?: { id: string; value: string }[];
}

export interface SurveyState {
  id: string;
  name: string;
  description: string;
  active: boolean;
  date: string;
  success_message: string | false;
  show_success_message: boolean;
  required: boolean;
  multiple_responses: boolean;
  tags: string[];
  questions: SurveyQuestion[];
  /** Submitted answers, oldest first: question id → choice id, choice ids, or text. */
  submissions: Record<string, string | string[]>[];
  updatedAt: number;
}

export interface RecordState { doc: ApptentiveRecord; updatedAt: number }

export interface AppState {
  id: string;
  name: string;
  token: string;
  platform: 'iOS' | 'Android';
  records: RecordState[];
  surveys: SurveyState[];
  /** Last Last-Modified handed out for a mutation, to keep it strictly increasing (second precision). */
  lastTouch: number;
  createdAt: number;
}

export const HOSTILE = '<img src=x onerror=alert(1)>';

const DAY = 86_400_000;
/** Newest seeded record date (yesterday, 16:30 UTC; fixed for the day); seeded records go back about 90 days. */
let BASE = 0;
function seedBase(): number {
  return Math.floor(Date.now() / DAY) * DAY - DAY + (16 * 60 + 30) * 60_000;
}

const FEEDBACK: readonly [string, string][] = [
  ['The app crashes every time I open the offline map of the Dolomites.', 'bug'],
  ['Love the new elevation chart, thank you!', 'praise'],
  ['Could you add a dark mode for night hikes?', 'suggestion'],
  ['How do I export my trips as GPX?', 'question'],
  ['Sync with my watch stopped working after the last update', 'bug'],
  ['Best hiking app I have used. Five stars from me', 'praise'],
  ['Please let me share a trail with friends who do not have the app', 'suggestion'],
  ['Battery drain is terrible when tracking is on (iPhone 13 mini)', 'bug'],
  ['Is there a family plan?', 'question'],
  ['The login screen loops forever on Android 14', 'bug'],
  ['Trail difficulty ratings are way off for the Alps', 'suggestion'],
  ['Merci pour l\'application, elle est géniale !', 'praise'],
  ['Wegpunkte lassen sich nicht löschen.', 'bug'],
  ['同期がとても遅いです。', 'bug'],
  ['Great update 🎉 the new icons look 👌', 'praise'],
  ['I was charged twice for Pro. Order #A-99812 & #A-99813 — please refund one', 'question'],
  ['Why does the app need my location "always"?', 'question'],
  ['Search for "Mont Blanc" returns nothing', 'bug'],
  ['Line one of my report.\nLine two: steps to reproduce:\n1. open app\n2. tap Record\n3. crash', 'bug'],
  ['Add Apple Health integration please', 'suggestion'],
  ['Photos attached to waypoints disappear after a reinstall', 'bug'],
  ['The weather overlay is fantastic', 'praise'],
  ['التطبيق رائع لكن الخريطة لا تعمل بدون إنترنت — please fix offline maps (שגיאה 404)', 'bug'],
  [`Long report: ${'The track recording stops when the screen locks, and resumes only when I open the app again. '.repeat(30)}`, 'bug'],
];

const NAMES = [
  'Ana Souza', 'Ben Okafor', 'Chloé Martin', 'Dmitri Volkov', 'Emma Schmidt', 'Farah Haddad', 'Giulia Rossi', 'Hiro Tanaka',
  'Isabel García', 'Jonas Berg', 'Kiran Patel', 'Lena Novak', 'Mateo López', 'Nora Lindqvist', 'Omar Aziz', 'Priya Nair',
  'Quinn O\'Brien', 'Rosa Díaz', 'Sam Lee', 'Tomás Silva',
];

const IOS_MODELS = ['iPhone15,2', 'iPhone14,5', 'iPhone16,1', 'iPhone13,1', 'iPad13,4'];
const ANDROID_MODELS: readonly [string, string][] = [['Google', 'Pixel 8'], ['Samsung', 'SM-S918B'], ['OnePlus', 'CPH2449'], ['Xiaomi', '2210132G']];
const CARRIERS = ['Verizon', 'Vodafone', 'T-Mobile', 'Orange', null];
const SOURCES = ['message_center', 'enjoyment_dialog', null];
const VERSIONS = ['3.4.1', '3.4.0', '3.3.2', '3.2.0'];
const CUSTOM: readonly Record<string, unknown>[] = [
  {}, { plan: 'pro', trips_logged: 42 }, { plan: 'free', trips_logged: 3, beta: true }, { referrer: 'newsletter' }, {},
];

function ensurePunct(s: string): string {
  return /[.!?。！？]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`;
}

/** `I have a question. from Fake User` — the seed's summary format. */
export function summarize(feedback: string | null, user: string | null, surveyName?: string): string {
  const who = user && user.trim() ? user : 'Anonymous';
  if (feedback === null) return `Response to survey ${surveyName ?? ''} from ${who}`.replace(/\s+/g, ' ');
  return `${ensurePunct(feedback)} from ${who}`;
}

let idCounter = 0;
export function nextId(atMs: number, salt: number): string {
  idCounter = (idCounter + 1) >>> 0;
  return objectId(atMs / 1000, idCounter, salt);
}

export function emptyDevice(id: string): ApptentiveDevice {
  const d = { _id: id } as Record<string, string | null>;
  for (const k of DEVICE_KEYS) d[k] = null;
  return d as unknown as ApptentiveDevice;
}

export function tokenFor(name: string): string {
  return sha256(`apptentive-sandbox-token:${name}`).toString('hex');
}

interface AppSpec { id: string; name: string; platform: 'iOS' | 'Android'; records: number; salt: number }

function seedRecords(spec: AppSpec): RecordState[] {
  const rnd = seededRandom(spec.salt * 7919 + 17);
  const out: RecordState[] = [];
  for (let i = 0; i < spec.records; i++) {
    const at = BASE - Math.floor((i * 90 * DAY) / spec.records) - Math.floor(rnd() * 3_600_000);
    const [text0, type] = FEEDBACK[(i * 7 + spec.salt) % FEEDBACK.length]!;
    let text = text0;
    let name: string | null = pick(rnd, NAMES);
    if (i % 11 === 6) name = null; // anonymous
    if (spec.salt === 1 && i === 3) text = `Crashes when I paste this into a waypoint name: ${HOSTILE}`;
    if (spec.salt === 1 && i === 7) name = HOSTILE;
    if (spec.salt === 2 && i === 2) text = `Review title shows raw HTML: ${HOSTILE} & "quotes" <b>bold</b>`;
    const email = name === null ? null : `${name.toLowerCase().normalize('NFD').replace(/[^a-z]+/g, '.').replace(/^\.|\.$/g, '') || 'user'}@example.com`;
    const device = emptyDevice(nextId(at, spec.salt));
    if (spec.platform === 'iOS') {
      Object.assign(device, { os_name: 'iOS', os_version: pick(rnd, ['17.4.1', '17.5', '18.0', '16.7.8']), model: pick(rnd, IOS_MODELS), carrier: pick(rnd, CARRIERS), uuid: uuid(rnd) });
    } else {
      const [manufacturer, model] = pick(rnd, ANDROID_MODELS);
      Object.assign(device, {
        os_name: 'Android', os_version: pick(rnd, ['14', '13', '15']), manufacturer, brand: manufacturer.toLowerCase(), model,
        carrier: pick(rnd, CARRIERS), network_type: pick(rnd, ['LTE', 'NR', 'WIFI']), build_type: 'user', uuid: uuid(rnd),
      });
    }
    const user: ApptentiveUser = {
      _id: nextId(at, spec.salt), birthday: null, city: null, country: pick(rnd, ['US', 'DE', 'FR', 'BR', 'JP', 'IN', null]), email, name,
      phone_number: i % 4 === 0 ? '' : null, state: null, street: null, zip: null,
    };
    const version = pick(rnd, VERSIONS);
    const doc: ApptentiveRecord = {
      id: nextId(at, spec.salt),
      summary: summarize(text, name),
      device,
      user,
      feedback: { _id: nextId(at, spec.salt), feedback: text, source: pick(rnd, SOURCES), type },
      date: new Date(Math.floor(at / 1000) * 1000).toUTCString(),
      archived: i % 3 === 2,
      app_version: {
        _id: nextId(at, spec.salt), version, build_number: version.replace(/\./g, ''), primary_locale: 'en',
        supported_locales: ['en', 'fr', 'de', 'ja'],
      },
      client: {
        _id: nextId(at, spec.salt), version: spec.platform === 'iOS' ? '6.7.0' : '6.6.1', language: spec.platform === 'iOS' ? 'Swift' : 'Kotlin',
        author: 'Apptentive, Inc.', platform: spec.platform,
      },
      data: { ...pick(rnd, CUSTOM) },
    };
    out.push({ doc, updatedAt: Math.floor(at / 1000) * 1000 });
  }
  return out;
}

function uuid(rnd: () => number): string {
  const h = () => Math.floor(rnd() * 16).toString(16).toUpperCase();
  const s = (n: number) => Array.from({ length: n }, h).join('');
  return `${s(8)}-${s(4)}-${s(4)}-${s(4)}-${s(12)}`;
}

function isoOffset(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, '+00:00');
}

function q(salt: number, n: number, value: string, type: SurveyQuestion['type'], choices?: string[], extra: Partial<SurveyQuestion> = {}): SurveyQuestion {
  const base = BASE - 120 * DAY;
  const question: SurveyQuestion = { id: objectId(base / 1000, salt * 1000 + n * 10, salt + 40), value, type, required: false, ...extra };
  if (choices) {
    question.instructions ??= type === 'multiselect' ? 'select all that apply' : 'select one';
    question.answer_choices = choices.map((c, i) => ({ id: objectId(base / 1000, salt * 1000 + n * 10 + i + 1, salt + 40), value: c }));
  }
  return question;
}

function survey(salt: number, daysAgo: number, s: Omit<SurveyState, 'id' | 'date' | 'submissions' | 'updatedAt'>, submissions: number, texts: string[] = []): SurveyState {
  const at = BASE - daysAgo * DAY;
  const state: SurveyState = { id: objectId(at / 1000, salt * 1000, salt + 40), date: isoOffset(at), submissions: [], updatedAt: at, ...s };
  const rnd = seededRandom(salt * 31 + daysAgo);
  for (let i = 0; i < submissions; i++) {
    const answers: Record<string, string | string[]> = {};
    for (const question of state.questions) {
      if (question.type === 'singleline') {
        if (texts.length && rnd() < 0.6) answers[question.id] = texts[i % texts.length]!;
      } else if (question.type === 'multichoice') {
        answers[question.id] = pick(rnd, question.answer_choices!).id;
      } else {
        const chosen = question.answer_choices!.filter(() => rnd() < 0.45).map((c) => c.id);
        answers[question.id] = chosen.length ? chosen : [question.answer_choices![0]!.id];
      }
    }
    state.submissions.push(answers);
  }
  return state;
}

function seedSurveys(salt: number): SurveyState[] {
  if (salt === 1) {
    return [
      survey(101, 10, {
        name: 'Trip planner satisfaction', description: 'Tell us how the new trip planner works for you.', active: true,
        success_message: 'Thanks! Your answers help us build a better planner.', show_success_message: true, required: false, multiple_responses: false,
        tags: ['planner', 'q2'],
        questions: [
          q(101, 1, 'How easy was it to plan your last trip?', 'multichoice', ['Very easy', 'Easy', 'Neutral', 'Hard', 'Very hard'], { required: true }),
          q(101, 2, 'Which features did you use?', 'multiselect', ['Elevation chart', 'Offline maps', 'Weather overlay', 'Waypoints', 'Sharing'], { min_selections: 1, max_selections: 3 }),
          q(101, 3, 'Anything else you would like to tell us?', 'singleline'),
        ],
      }, 27, ['Love it', 'Needs GPX export', HOSTILE, 'More trails in Norway please']),
      survey(102, 25, {
        name: 'Offline maps feedback', description: 'A quick check on offline map downloads.', active: true,
        success_message: false, show_success_message: false, required: false, multiple_responses: true, tags: ['maps'],
        questions: [
          q(102, 1, 'Did your last offline download finish?', 'multichoice', ['Yes', 'No', 'I did not try']),
          q(102, 2, 'Which region did you download?', 'singleline'),
        ],
      }, 9, ['Dolomites', 'Lake District', 'Yosemite']),
      survey(103, 60, {
        name: 'Ice Cream Survey', description: 'Our favourite test survey.', active: false,
        success_message: false, show_success_message: false, required: false, multiple_responses: true, tags: ['fun'],
        questions: [q(103, 1, 'Favorite Flavor of Ice Cream?', 'multichoice', ['Chocolate', 'Vanilla'])],
      }, 2),
      survey(104, 80, {
        name: 'Pro pricing', description: 'What would you pay for Northwind Trails Pro?', active: false,
        success_message: 'Thank you for your time.', show_success_message: true, required: false, multiple_responses: false, tags: ['pricing', 'q2'],
        questions: [
          q(104, 1, 'Per month, Pro is worth…', 'multichoice', ['$0', '$1.99', '$3.99', '$6.99']),
          q(104, 2, 'Which Pro features matter most?', 'multiselect', ['Offline maps', '3D terrain', 'Live tracking', 'No ads'], { min_selections: 1, max_selections: 2 }),
        ],
      }, 14),
    ];
  }
  return [
    survey(201, 5, {
      name: 'Android beta impressions', description: 'First impressions of the Android beta.', active: true,
      success_message: 'Thanks for testing!', show_success_message: true, required: false, multiple_responses: false, tags: ['beta'],
      questions: [
        q(201, 1, 'How stable is the beta?', 'multichoice', ['Rock solid', 'A few hiccups', 'Crashes often'], { required: true }),
        q(201, 2, 'What should we fix first?', 'singleline'),
      ],
    }, 6, ['Login loop', 'Sync']),
    survey(202, 40, {
      name: 'Widget ideas', description: 'Which home-screen widgets do you want?', active: false,
      success_message: false, show_success_message: false, required: false, multiple_responses: true, tags: ['widgets'],
      questions: [q(202, 1, 'Pick widgets', 'multiselect', ['Weather', 'Next trip', 'Weekly distance'], { min_selections: 1, max_selections: 3 })],
    }, 4),
  ];
}

export const APP_SPECS: readonly AppSpec[] = [
  { id: '5a1f3c2e9b8d7a6f4e3d2c1b', name: 'Northwind Trails (iOS)', platform: 'iOS', records: 60, salt: 1 },
  { id: '5b2e4d3f0a9c8b7e6d5f4a3c', name: 'Northwind Trails (Android)', platform: 'Android', records: 14, salt: 2 },
];

export function seedApps(): AppState[] {
  idCounter = 0;
  BASE = seedBase();
  return APP_SPECS.map((spec) => ({
    id: spec.id,
    name: spec.name,
    token: tokenFor(spec.name),
    platform: spec.platform,
    records: seedRecords(spec),
    surveys: seedSurveys(spec.salt),
    lastTouch: 0,
    createdAt: BASE - 400 * DAY,
  }));
}
