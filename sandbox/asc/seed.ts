// Deterministic demo data for the App Store Connect emulator: four hand-written apps that cover the states a release
// manager meets (live, waiting for review, rejected, pending developer release, phased release, TestFlight groups,
// reviews in several storefronts with and without responses, feedback with a crash log), then as many generated apps
// as `ascApps` asks for (the benchmark seeds thousands). Dates are relative to the start of the current UTC day, so a
// seeded build is not "expired" a year from now, yet the data is the same on every run of the same day.
import { uuidFrom, type Attrs, type Store } from './store';
import { TERRITORIES } from './territories';

const DAY = 86_400_000;

/** Apple's date-time style in App Store Connect payloads (Pacific offset, no milliseconds). */
export function appleDate(ms: number): string {
  return new Date(ms - 7 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, '-07:00');
}

export const APP_CATEGORIES = [
  'BOOKS', 'BUSINESS', 'DEVELOPER_TOOLS', 'EDUCATION', 'ENTERTAINMENT', 'FINANCE', 'FOOD_AND_DRINK', 'GAMES', 'GRAPHICS_AND_DESIGN',
  'HEALTH_AND_FITNESS', 'LIFESTYLE', 'MEDICAL', 'MUSIC', 'NAVIGATION', 'NEWS', 'PHOTO_AND_VIDEO', 'PRODUCTIVITY', 'REFERENCE',
  'SHOPPING', 'SOCIAL_NETWORKING', 'SPORTS', 'TRAVEL', 'UTILITIES', 'WEATHER',
];

// -----------------------------------------------------------------------------------------------------------------
// Hand-written apps

interface LocDef { locale: string; description: string; keywords: string | null; whatsNew: string | null; promotionalText: string | null; supportUrl: string | null; marketingUrl: string | null }
interface VersionDef {
  version: string; platform?: string; state: string; daysAgo: number; build?: string; releaseType?: string;
  phased?: { state: string; startDaysAgo: number | null; day: number | null };
  submission?: { state: string; daysAgo: number };
  /** Localizations; defaults to the app's texts with this version's "What's New". */
  locs?: LocDef[]; whatsNew?: string;
}
interface BuildDef { number: string; version: string; platform?: string; daysAgo: number; state: string; expired?: boolean; encryption?: boolean | null; audience?: string }
interface TesterDef { first: string | null; last: string | null; email: string; invite?: string; state: string; groups: number[]; devices?: { model: string; osVersion: string; appBuildVersion: string }[] }
interface GroupDef { name: string; internal: boolean; daysAgo: number; publicLink?: string; limit?: number; builds: string[] }
interface ReviewDef { rating: number; title: string; body: string; nick: string; territory: string; hoursAgo: number; version?: string; response?: { body: string; state: string; hoursAgo: number } }
interface FeedbackDef { kind: 'screenshot' | 'crash'; build: string; tester: number; hoursAgo: number; comment: string | null; device: string; os: string; log?: string }
interface AppDef {
  id: string; name: string; bundleId: string; sku: string; subtitle: string; category: string; secondary?: string; kids?: boolean;
  description: string; keywords: string; promo: string | null; support: string; marketing: string | null; privacy: string;
  extraLocales?: { locale: string; name: string; subtitle: string; description: string; keywords: string | null; whatsNew: string | null }[];
  versions: VersionDef[]; builds: BuildDef[]; groups: GroupDef[]; testers: TesterDef[]; reviews: ReviewDef[]; feedback: FeedbackDef[];
}

const CRASH_LOG = (bundle: string, app: string, build: string, version: string, device: string, os: string) => `Incident Identifier: 6F1C2A7E-3B9D-4E2F-9C71-0D5E8A4B2F13
Hardware Model:      ${device}
Process:             ${app} [4127]
Path:                /private/var/containers/Bundle/Application/1A2B3C4D-0000-4000-8000-000000000000/${app.replace(/\s/g, '')}.app/${app.replace(/\s/g, '')}
Identifier:          ${bundle}
Version:             ${version} (${build})
AppStoreTools:       16A242
Code Type:           ARM-64 (Native)
Role:                Foreground
Parent Process:      launchd [1]

OS Version:          iPhone OS ${os}
Release Type:        User
Baseband Version:    2.20.03

Exception Type:  EXC_BREAKPOINT (SIGTRAP)
Exception Codes: 0x0000000000000001, 0x00000001a2f4c8b0
Termination Reason: TRAP 5 Trace/BPT trap: 5
Terminating Process: exc handler [4127]

Triggered by Thread:  0

Thread 0 name:   Dispatch queue: com.apple.main-thread
Thread 0 Crashed:
0   libswiftCore.dylib            0x00000001a2f4c8b0 _assertionFailure(_:_:file:line:flags:) + 264
1   ${app.replace(/\s/g, '')}                  0x0000000100a1f3c4 SyncEngine.merge(_:into:) + 1184 (SyncEngine.swift:212)
2   ${app.replace(/\s/g, '')}                  0x0000000100a1e9d0 closure #1 in SyncEngine.pull() + 412 (SyncEngine.swift:148)
3   libdispatch.dylib             0x00000001b0d6a2c8 _dispatch_call_block_and_release + 32
4   libdispatch.dylib             0x00000001b0d6bd78 _dispatch_client_callout + 20
5   libdispatch.dylib             0x00000001b0d7a4b8 _dispatch_main_queue_drain + 984
6   CoreFoundation                0x00000001a8e2f1d4 __CFRUNLOOP_IS_SERVICING_THE_MAIN_DISPATCH_QUEUE__ + 16
7   GraphicsServices              0x00000001ed4a11a8 GSEventRunModal + 164
8   UIKitCore                     0x00000001ab4e4a80 -[UIApplication _run] + 816
9   ${app.replace(/\s/g, '')}                  0x0000000100a02b14 main + 84 (App.swift:12)
10  dyld                          0x00000001ce3c6ec8 start + 2724
`;

const HOSTILE = '<img src=x onerror=alert(1)>';
// A review near Apple's 4,000-character maximum, so lists truncate and detail views wrap.
const LONG_REVIEW = `Pencil support is excellent. Would love a landscape split view for two notes. ${'I use it every day for lectures, meetings and sketches, and it has replaced paper for me. '.repeat(40)}`.slice(0, 3990);

const APPS: AppDef[] = [
  {
    id: '1581234567', name: 'Lumen Notes', bundleId: 'com.lumenlabs.notes', sku: 'LUMEN-NOTES-IOS', subtitle: 'Notes that find themselves',
    category: 'PRODUCTIVITY', secondary: 'UTILITIES',
    description: 'Lumen Notes is the fastest way to capture ideas and find them again.\n\n• Type, sketch or dictate a note in one tap\n• Smart folders group notes by topic on their own\n• Full-text search, even inside handwriting and scanned PDFs\n• End-to-end encrypted sync across iPhone, iPad and Mac\n\nNo account needed to start. Lumen Pro unlocks unlimited devices and version history.',
    keywords: 'notes,notebook,markdown,journal,sketch,scan,pdf,todo,ideas,writing,sync',
    promo: 'New: handwriting search in every note. Try Lumen Pro free for 14 days.',
    support: 'https://lumenlabs.example.com/support', marketing: 'https://lumenlabs.example.com', privacy: 'https://lumenlabs.example.com/privacy',
    extraLocales: [
      { locale: 'de-DE', name: 'Lumen Notizen', subtitle: 'Notizen, die sich selbst finden', description: 'Lumen Notes ist der schnellste Weg, Ideen festzuhalten und wiederzufinden.\n\n• Tippen, zeichnen oder diktieren\n• Intelligente Ordner\n• Volltextsuche, auch in Handschrift', keywords: 'notizen,notizbuch,markdown,tagebuch,skizze,scan,pdf', whatsNew: 'Handschriftsuche und schnellere Synchronisierung.' },
      { locale: 'ja', name: 'Lumen ノート', subtitle: '自分で見つかるノート', description: 'Lumen Notes はアイデアを記録し、すぐに見つけられるノートアプリです。', keywords: 'ノート,メモ,日記,手書き,スキャン', whatsNew: null },
    ],
    versions: [
      { version: '3.3.0', state: 'PREPARE_FOR_SUBMISSION', daysAgo: 2, whatsNew: 'Handwriting search, a faster sync engine and a new dark theme for the sketch canvas.' },
      { version: '3.2.0', state: 'READY_FOR_SALE', daysAgo: 20, build: '405', releaseType: 'AFTER_APPROVAL', phased: { state: 'ACTIVE', startDaysAgo: 3, day: 3 }, submission: { state: 'COMPLETE', daysAgo: 6 }, whatsNew: 'Smart folders now learn from the notes you move by hand.\nFixed a crash when pasting large images.' },
      { version: '3.1.2', state: 'REPLACED_WITH_NEW_VERSION', daysAgo: 48, build: '398', whatsNew: 'Bug fixes and performance improvements.' },
    ],
    builds: [
      { number: '413', version: '3.3.0', daysAgo: 0, state: 'PROCESSING', encryption: null },
      { number: '412', version: '3.3.0', daysAgo: 1, state: 'VALID', encryption: false },
      { number: '409', version: '3.3.0', daysAgo: 4, state: 'INVALID', encryption: false },
      { number: '405', version: '3.2.0', daysAgo: 9, state: 'VALID', encryption: false },
      { number: '398', version: '3.1.2', daysAgo: 50, state: 'VALID', encryption: false, expired: true },
    ],
    groups: [
      { name: 'Internal QA', internal: true, daysAgo: 400, builds: ['412', '405'] },
      { name: 'Public Beta', internal: false, daysAgo: 300, publicLink: 'Lm3nBeta', limit: 2000, builds: ['412'] },
      { name: 'Design Partners', internal: false, daysAgo: 120, builds: ['412', '405'] },
    ],
    testers: [
      { first: 'Maya', last: 'Okafor', email: 'maya.okafor@lumenlabs.example.com', state: 'INSTALLED', groups: [0], devices: [{ model: 'iPhone16,2', osVersion: '18.5', appBuildVersion: '412' }] },
      { first: 'Jonas', last: 'Berg', email: 'jonas.berg@lumenlabs.example.com', state: 'INSTALLED', groups: [0, 2], devices: [{ model: 'iPad14,5', osVersion: '18.4.1', appBuildVersion: '405' }] },
      { first: null, last: null, email: 'tf-7f3a9c@privaterelay.appleid.example.com', invite: 'PUBLIC_LINK', state: 'INSTALLED', groups: [1] },
      { first: null, last: null, email: 'tf-91bd02@privaterelay.appleid.example.com', invite: 'PUBLIC_LINK', state: 'ACCEPTED', groups: [1] },
      { first: 'Priya', last: 'Raman', email: 'priya@studio-raman.example.com', state: 'INVITED', groups: [2] },
      { first: 'Lucía', last: 'Fernández', email: 'lucia.fernandez@example.com', state: 'INSTALLED', groups: [1, 2], devices: [{ model: 'iPhone15,3', osVersion: '17.6.1', appBuildVersion: '412' }] },
    ],
    reviews: [
      { rating: 5, title: 'Finally a notes app that keeps up', body: 'I switched from three other apps. Search inside my handwriting is magic, and sync between my iPad and Mac has never failed me.', nick: 'inkandpaper', territory: 'USA', hoursAgo: 5, version: '3.2.0' },
      { rating: 2, title: 'Sync lost a page', body: 'After the last update one of my meeting notes came back empty on my phone. It was fine on the Mac. Please fix, I rely on this daily.', nick: 'mtgnotes_ben', territory: 'GBR', hoursAgo: 30, version: '3.2.0', response: { body: 'Hi Ben, sorry about that! Version 3.2.0 restores pages from version history: open the note, tap ⋯ > History. If it is not there, write to support@lumenlabs.example.com and we will recover it.', state: 'PUBLISHED', hoursAgo: 20 } },
      { rating: 1, title: HOSTILE, body: `Test ${HOSTILE} <script>alert("xss")</script> & "quotes" 'single' </textarea>`, nick: '<b>h4x0r</b>', territory: 'USA', hoursAgo: 40, version: '3.2.0' },
      { rating: 4, title: 'Sehr gut, aber…', body: 'Die Handschrifterkennung ist großartig. Ich würde mir noch Tags wünschen, die sich über Geräte hinweg synchronisieren.', nick: 'Kritzelkönig', territory: 'DEU', hoursAgo: 52, version: '3.2.0' },
      { rating: 5, title: '最高のノートアプリ', body: '手書きの検索が本当に便利です。毎日使っています。', nick: 'さくら', territory: 'JPN', hoursAgo: 75, version: '3.1.2' },
      { rating: 3, title: 'جيد لكن السعر مرتفع', body: 'التطبيق ممتاز للملاحظات اليومية، لكن اشتراك Pro السنوي (49.99 $) مكلف مقارنة بالتطبيقات الأخرى. שלום — mixed RTL/LTR text.', nick: 'فاطمة', territory: 'CAN', hoursAgo: 120, version: '3.1.2', response: { body: 'Thanks for the honest feedback, Fran. Students get 50% off Pro: see lumenlabs.example.com/edu.', state: 'PENDING_PUBLISH', hoursAgo: 2 } },
      { rating: 5, title: 'Parfait pour mes cours 📚', body: 'Je scanne mes polycopiés et je retrouve tout en deux secondes. Merci !', nick: 'Camille_L', territory: 'FRA', hoursAgo: 200, version: '3.1.2' },
      { rating: 4, title: 'Great on iPad', body: LONG_REVIEW, nick: 'aussie_sketcher', territory: 'AUS', hoursAgo: 260, version: '3.1.2' },
    ],
    feedback: [
      { kind: 'screenshot', build: '412', tester: 0, hoursAgo: 3, comment: 'The new dark canvas makes the lasso tool invisible.', device: 'iPhone16,2', os: '18.5' },
      { kind: 'screenshot', build: '412', tester: 5, hoursAgo: 26, comment: null, device: 'iPhone15,3', os: '17.6.1' },
      { kind: 'crash', build: '412', tester: 1, hoursAgo: 8, comment: 'Crashed right after I opened a shared notebook.', device: 'iPad14,5', os: '18.4.1', log: 'sync' },
      { kind: 'crash', build: '405', tester: 2, hoursAgo: 50, comment: null, device: 'iPhone14,7', os: '18.3', log: 'sync' },
    ],
  },
  {
    id: '1609876543', name: 'Trailhead', bundleId: 'com.trailheadapp.trails', sku: 'TRAILHEAD-001', subtitle: 'Offline hiking maps', category: 'NAVIGATION', secondary: 'TRAVEL',
    description: 'Trailhead shows 400,000 hiking trails on topographic maps that work without signal.\n\nDownload a region, record your route, and share a live location with the people who wait for you at home.',
    keywords: 'hiking,trail,map,offline,topo,gps,outdoor,trek,route,backpacking',
    promo: 'Summer trail conditions are live for the Alps and the Rockies.',
    support: 'https://trailhead.example.org/help', marketing: null, privacy: 'https://trailhead.example.org/privacy',
    extraLocales: [
      { locale: 'fr-FR', name: 'Trailhead', subtitle: 'Cartes de randonnée hors ligne', description: 'Trailhead affiche 400 000 sentiers sur des cartes topographiques qui fonctionnent sans réseau.', keywords: 'randonnée,sentier,carte,hors ligne,gps', whatsNew: 'Les itinéraires partagés s’ouvrent désormais dans l’app.' },
    ],
    versions: [
      { version: '2.8.1', state: 'PENDING_DEVELOPER_RELEASE', daysAgo: 4, build: '2810', releaseType: 'MANUAL', phased: { state: 'INACTIVE', startDaysAgo: null, day: null }, submission: { state: 'COMPLETE', daysAgo: 3 }, whatsNew: 'Shared routes now open straight in the app.\nElevation profiles load twice as fast.' },
      { version: '2.8.0', state: 'READY_FOR_SALE', daysAgo: 30, build: '2800', releaseType: 'AFTER_APPROVAL', phased: { state: 'COMPLETE', startDaysAgo: 26, day: 7 }, submission: { state: 'COMPLETE', daysAgo: 28 }, whatsNew: 'Live location sharing with your emergency contacts.' },
    ],
    builds: [
      { number: '2810', version: '2.8.1', daysAgo: 5, state: 'VALID', encryption: false },
      { number: '2800', version: '2.8.0', daysAgo: 31, state: 'VALID', encryption: false },
      { number: '2790', version: '2.7.9', daysAgo: 95, state: 'VALID', encryption: false, expired: true },
    ],
    groups: [
      { name: 'Trail Crew', internal: true, daysAgo: 700, builds: ['2810'] },
      { name: 'Guides', internal: false, daysAgo: 200, builds: ['2810', '2800'] },
    ],
    testers: [
      { first: 'Sam', last: 'Whitfield', email: 'sam@trailhead.example.org', state: 'INSTALLED', groups: [0], devices: [{ model: 'iPhone17,1', osVersion: '18.5', appBuildVersion: '2810' }] },
      { first: 'Anja', last: 'Huber', email: 'anja.huber@bergfuehrer.example.at', state: 'INSTALLED', groups: [1] },
      { first: 'Diego', last: null, email: 'diego.mtn@example.com', state: 'REVOKED', groups: [1] },
    ],
    reviews: [
      { rating: 5, title: 'Saved me on the ridge', body: 'No signal for 9 hours and the offline map never missed a turn. Battery use is reasonable too.', nick: 'peakbagger', territory: 'USA', hoursAgo: 10, version: '2.8.0' },
      { rating: 3, title: 'Downloads are slow', body: 'Region downloads stall at 80% on hotel wifi. The maps themselves are great.', nick: 'weekend_walker', territory: 'GBR', hoursAgo: 64, version: '2.8.0' },
      { rating: 1, title: 'Subscription trap', body: 'Charged after the trial even though I cancelled.', nick: 'not_happy_nz', territory: 'NZL', hoursAgo: 90, version: '2.8.0', response: { body: 'We are sorry to hear this. Subscriptions are billed by Apple: reportaproblem.apple.com can refund the charge, and we have flagged your case.', state: 'PUBLISHED', hoursAgo: 70 } },
      { rating: 4, title: 'Très bonne appli', body: 'Cartes précises, il manque juste les refuges dans les Pyrénées.', nick: 'randonneuse31', territory: 'FRA', hoursAgo: 150, version: '2.8.0' },
    ],
    feedback: [
      { kind: 'screenshot', build: '2810', tester: 1, hoursAgo: 12, comment: 'Elevation chart overlaps the stop button on small phones.', device: 'iPhone14,4', os: '18.5' },
      { kind: 'crash', build: '2810', tester: 0, hoursAgo: 30, comment: 'Crash when resuming a recorded route.', device: 'iPhone17,1', os: '18.5', log: 'sync' },
    ],
  },
  {
    id: '1634567890', name: 'Pocket Ledger', bundleId: 'com.pocketledger.budget', sku: 'POCKETLEDGER', subtitle: 'Budget in 10 seconds a day', category: 'FINANCE',
    description: 'Pocket Ledger turns your spending into a calm weekly plan. Log an expense in two taps, see what is left for the week, and export everything to CSV whenever you like.',
    keywords: 'budget,expense,money,finance,savings,spending,tracker,csv',
    promo: null, support: 'https://pocketledger.example.net/support', marketing: 'https://pocketledger.example.net', privacy: 'https://pocketledger.example.net/privacy',
    versions: [
      { version: '1.4.0', state: 'WAITING_FOR_REVIEW', daysAgo: 3, build: '140', releaseType: 'AFTER_APPROVAL', submission: { state: 'WAITING_FOR_REVIEW', daysAgo: 1 }, whatsNew: 'Shared budgets with your partner, and Apple Watch complications.' },
      { version: '1.3.2', state: 'READY_FOR_SALE', daysAgo: 40, build: '132', releaseType: 'AFTER_APPROVAL', submission: { state: 'COMPLETE', daysAgo: 38 }, whatsNew: 'Fixes for the CSV export.' },
    ],
    builds: [
      { number: '141', version: '1.4.0', daysAgo: 0, state: 'VALID', encryption: null },
      { number: '140', version: '1.4.0', daysAgo: 3, state: 'VALID', encryption: false },
      { number: '132', version: '1.3.2', daysAgo: 41, state: 'VALID', encryption: false },
    ],
    groups: [{ name: 'Friends & Family', internal: false, daysAgo: 90, builds: ['140'] }],
    testers: [
      { first: 'Ana', last: 'Lima', email: 'ana.lima@example.com.br', state: 'INSTALLED', groups: [0] },
      { first: 'Tom', last: 'Nguyen', email: 'tom.nguyen@example.com', state: 'NOT_INVITED', groups: [0] },
    ],
    reviews: [
      { rating: 5, title: 'Simple and calm', body: 'The weekly view is exactly what I needed. No bank login required.', nick: 'quietcoins', territory: 'USA', hoursAgo: 15, version: '1.3.2' },
      { rating: 4, title: 'Muito bom', body: 'Falta só a opção de várias moedas.', nick: 'carioca_fin', territory: 'BRA', hoursAgo: 100, version: '1.3.2' },
      { rating: 2, title: 'Widget never updates', body: 'The home screen widget shows last week until I open the app.', nick: 'widgetfan', territory: 'CAN', hoursAgo: 180, version: '1.3.2' },
    ],
    feedback: [],
  },
  {
    id: '1672345678', name: 'Tidepool Weather', bundleId: 'io.tidepool.weather', sku: 'TIDEPOOL-WX', subtitle: 'Tides, swell and wind', category: 'WEATHER', secondary: 'SPORTS',
    description: 'Tidepool Weather combines tide tables, swell forecasts and wind for 12,000 beaches, with alerts when your favourite spot is about to work.',
    keywords: 'tide,surf,swell,wind,weather,beach,forecast,sailing,kite',
    promo: 'Kite season alerts are back.', support: 'https://tidepool.example.io/support', marketing: 'https://tidepool.example.io', privacy: 'https://tidepool.example.io/privacy',
    versions: [
      { version: '5.0.1', state: 'REJECTED', daysAgo: 6, build: '5012', releaseType: 'AFTER_APPROVAL', submission: { state: 'UNRESOLVED_ISSUES', daysAgo: 5 }, whatsNew: 'Fixes alerts that arrived an hour late.' },
      { version: '5.0.0', state: 'READY_FOR_SALE', daysAgo: 25, build: '5000', releaseType: 'AFTER_APPROVAL', submission: { state: 'COMPLETE', daysAgo: 23 }, whatsNew: 'Tidepool 5: a redesigned spot page with hourly swell.' },
      { version: '5.0.0', platform: 'MAC_OS', state: 'IN_REVIEW', daysAgo: 2, build: '5001', releaseType: 'MANUAL', submission: { state: 'IN_REVIEW', daysAgo: 1 }, whatsNew: 'Tidepool is now on the Mac.' },
    ],
    builds: [
      { number: '5012', version: '5.0.1', daysAgo: 7, state: 'VALID', encryption: false },
      { number: '5001', version: '5.0.0', platform: 'MAC_OS', daysAgo: 3, state: 'VALID', encryption: false },
      { number: '5000', version: '5.0.0', daysAgo: 26, state: 'VALID', encryption: false },
      { number: '4990', version: '4.9.9', daysAgo: 60, state: 'FAILED', encryption: null },
    ],
    groups: [{ name: 'Surf Club', internal: false, daysAgo: 500, publicLink: 'TdP00lWx', limit: 500, builds: ['5012'] }],
    testers: [
      { first: 'Kai', last: 'Kealoha', email: 'kai@example.surf', invite: 'PUBLIC_LINK', state: 'INSTALLED', groups: [0] },
    ],
    reviews: [
      { rating: 5, title: 'Best tide app', body: 'Accurate to the minute for my local reef.', nick: 'reefbreak', territory: 'AUS', hoursAgo: 20, version: '5.0.0' },
      { rating: 3, title: 'Alerts late', body: 'Wind alerts come in an hour after the wind picks up.', nick: 'kiteboi', territory: 'ESP', hoursAgo: 44, version: '5.0.0' },
    ],
    feedback: [],
  },
];

// -----------------------------------------------------------------------------------------------------------------
// Generated apps for larger data sets

const ADJ = ['Bright', 'Quiet', 'Swift', 'Little', 'Daily', 'Open', 'Clear', 'Happy', 'Smart', 'Tiny', 'Bold', 'Calm', 'Green', 'North', 'Silver', 'Pocket', 'Golden', 'Simple', 'Lucky', 'Urban'];
const NOUN = ['Habit', 'Recipe', 'Budget', 'Garden', 'Runner', 'Reader', 'Sketch', 'Timer', 'Planner', 'Journal', 'Scanner', 'Radio', 'Puzzle', 'Compass', 'Lens', 'Tasks', 'Studio', 'Atlas', 'Pantry', 'Coach'];
const CATS = ['HEALTH_AND_FITNESS', 'FOOD_AND_DRINK', 'FINANCE', 'LIFESTYLE', 'HEALTH_AND_FITNESS', 'BOOKS', 'GRAPHICS_AND_DESIGN', 'UTILITIES', 'PRODUCTIVITY', 'LIFESTYLE', 'BUSINESS', 'MUSIC', 'GAMES', 'NAVIGATION', 'PHOTO_AND_VIDEO', 'PRODUCTIVITY', 'PHOTO_AND_VIDEO', 'TRAVEL', 'FOOD_AND_DRINK', 'SPORTS'];
const REVIEW_TERRITORIES = ['USA', 'GBR', 'DEU', 'FRA', 'JPN', 'CAN', 'AUS', 'BRA', 'ITA', 'ESP'];

function generatedApp(i: number): AppDef {
  const a = ADJ[i % ADJ.length]!;
  const nIdx = Math.floor(i / ADJ.length) % NOUN.length;
  const n = NOUN[nIdx]!;
  const round = Math.floor(i / (ADJ.length * NOUN.length));
  const name = round ? `${a} ${n} ${round + 1}` : `${a} ${n}`;
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '');
  const major = 1 + (i % 4);
  const minor = i % 10;
  const live = `${major}.${minor}.0`;
  const next = `${major}.${minor + 1}.0`;
  const editing = i % 3 === 0;
  const b = 100 + i;
  const url = `https://${slug}.example.com`;
  return {
    id: String(1700000000 + i), name, bundleId: `com.example.${slug}`, sku: `SKU-${slug.toUpperCase()}`, subtitle: `${a} ${n.toLowerCase()} helper`,
    category: CATS[nIdx]!, description: `${name} is a demo app generated by the AppDesk sandbox (#${i}).`, keywords: `${a.toLowerCase()},${n.toLowerCase()},demo`,
    promo: null, support: `${url}/support`, marketing: null, privacy: `${url}/privacy`,
    versions: [
      ...(editing ? [{ version: next, state: 'PREPARE_FOR_SUBMISSION', daysAgo: 1 + (i % 5) }] : []),
      { version: live, state: 'READY_FOR_SALE', daysAgo: 10 + (i % 40), build: `${b}`, releaseType: 'AFTER_APPROVAL', submission: { state: 'COMPLETE', daysAgo: 9 + (i % 40) } },
    ],
    builds: [
      ...(editing ? [{ number: `${b + 1}`, version: next, daysAgo: i % 5, state: i % 6 === 0 ? 'PROCESSING' : 'VALID', encryption: false }] : []),
      { number: `${b}`, version: live, daysAgo: 11 + (i % 40), state: 'VALID', encryption: false },
    ],
    groups: [{ name: 'Beta Testers', internal: false, daysAgo: 100 + (i % 200), builds: [`${b}`] }],
    testers: [{ first: i % 2 ? null : 'Alex', last: i % 2 ? null : `Tester${i}`, email: `beta${i}@example.com`, state: 'INSTALLED', groups: [0] }],
    reviews: [
      { rating: 1 + (i % 5), title: `Review of ${name}`, body: `Rated ${1 + (i % 5)} stars after a week of use.`, nick: `user${i}`, territory: REVIEW_TERRITORIES[i % REVIEW_TERRITORIES.length]!, hoursAgo: 6 + (i % 300) },
      { rating: 5 - (i % 3), title: 'Does the job', body: 'Simple and reliable.', nick: `fan${i}`, territory: REVIEW_TERRITORIES[(i + 3) % REVIEW_TERRITORIES.length]!, hoursAgo: 30 + (i % 500) },
    ],
    feedback: [],
  };
}

// -----------------------------------------------------------------------------------------------------------------
// Building the store

/** appStoreState (the older, larger enum) → appVersionState. */
const VERSION_STATE: Record<string, string> = { READY_FOR_SALE: 'READY_FOR_DISTRIBUTION', PROCESSING_FOR_APP_STORE: 'PROCESSING_FOR_DISTRIBUTION' };
export const appVersionStateOf = (appStoreState: string): string => VERSION_STATE[appStoreState] ?? appStoreState;

const ICON = (appId: string, build: string) => ({
  templateUrl: `https://is1-ssl.mzstatic.com/image/thumb/Purple221/v4/${appId.slice(0, 2)}/${appId.slice(2, 4)}/${build}/AppIcon-0-0-1x_U007emarketing-0-8-0-85-220.png/{w}x{h}bb.{f}`,
  width: 1024,
  height: 1024,
});

export interface SeedOptions { apps: number; now: number }

export function seed(store: Store, opts: SeedOptions): void {
  store.clear();
  const t0 = Math.floor(opts.now / DAY) * DAY + 17 * 3_600_000; // 17:00 UTC "today"
  const ago = (days: number, hours = 0) => t0 - days * DAY - hours * 3_600_000;

  for (const t of TERRITORIES) store.add('territories', t.id, { currency: t.currency });
  for (const c of APP_CATEGORIES) store.add('appCategories', c, { platforms: ['IOS', 'MAC_OS', 'TV_OS'] });

  for (let i = 0; i < opts.apps; i++) {
    const def = i < APPS.length ? APPS[i]! : generatedApp(i);
    seedApp(store, def, ago);
  }
}

function seedApp(store: Store, def: AppDef, ago: (days: number, hours?: number) => number): void {
  const appId = def.id;
  const id = (kind: string, key: string) => uuidFrom(`${appId}:${kind}:${key}`);
  store.add('apps', appId, {
    name: def.name, bundleId: def.bundleId, sku: def.sku, primaryLocale: 'en-US', isOrEverWasMadeForKids: def.kids ?? false,
    subscriptionStatusUrl: null, subscriptionStatusUrlVersion: null, subscriptionStatusUrlForSandbox: null,
    subscriptionStatusUrlVersionForSandbox: null, contentRightsDeclaration: 'DOES_NOT_USE_THIRD_PARTY_CONTENT',
    streamlinedPurchasingEnabled: true, accessibilityUrl: null,
  });

  // App infos: the live one, plus an editable one while a version is being prepared.
  const editable = def.versions.some((v) => ['PREPARE_FOR_SUBMISSION', 'REJECTED', 'WAITING_FOR_REVIEW', 'IN_REVIEW'].includes(v.state) && (v.platform ?? 'IOS') === 'IOS');
  const infos: [string, string][] = [['live', 'READY_FOR_DISTRIBUTION']];
  if (editable) infos.unshift(['next', def.versions[0]!.state === 'REJECTED' ? 'REJECTED' : def.versions[0]!.state === 'PREPARE_FOR_SUBMISSION' ? 'PREPARE_FOR_SUBMISSION' : 'WAITING_FOR_REVIEW']);
  for (const [key, state] of infos) {
    const infoId = id('appInfo', key);
    store.add('appInfos', infoId, {
      appStoreState: state === 'READY_FOR_DISTRIBUTION' ? 'READY_FOR_SALE' : state, state, appStoreAgeRating: 'FOUR_PLUS',
      australiaAgeRating: null, brazilAgeRating: null, brazilAgeRatingV2: 'SELF_RATED_L', franceAgeRating: null, koreaAgeRating: null, kidsAgeBand: null,
    }, { app: appId, primaryCategory: def.category, secondaryCategory: def.secondary ?? null });
    store.add('appInfoLocalizations', id('appInfoLoc', `${key}:en-US`), {
      locale: 'en-US', name: def.name, subtitle: def.subtitle, privacyPolicyUrl: def.privacy, privacyChoicesUrl: null, privacyPolicyText: null,
    }, { appInfo: infoId });
    for (const l of def.extraLocales ?? []) {
      store.add('appInfoLocalizations', id('appInfoLoc', `${key}:${l.locale}`), {
        locale: l.locale, name: l.name, subtitle: l.subtitle, privacyPolicyUrl: def.privacy, privacyChoicesUrl: null, privacyPolicyText: null,
      }, { appInfo: infoId });
    }
  }

  // Pre-release versions ("trains") and builds.
  const trains = new Map<string, string>();
  for (const b of def.builds) {
    const platform = b.platform ?? 'IOS';
    const key = `${platform}:${b.version}`;
    if (!trains.has(key)) {
      const prId = id('preReleaseVersion', key);
      trains.set(key, prId);
      store.add('preReleaseVersions', prId, { version: b.version, platform }, { app: appId });
    }
  }
  const buildIds = new Map<string, string>();
  for (const b of def.builds) {
    const platform = b.platform ?? 'IOS';
    const buildId = id('build', `${platform}:${b.number}`);
    buildIds.set(b.number, buildId);
    const uploaded = ago(b.daysAgo, 3);
    const processing = b.state === 'PROCESSING';
    store.add('builds', buildId, {
      version: b.number, uploadedDate: appleDate(uploaded), expirationDate: appleDate(uploaded + 90 * DAY), expired: b.expired ?? false,
      minOsVersion: platform === 'MAC_OS' ? '13.0' : '16.0', lsMinimumSystemVersion: platform === 'MAC_OS' ? '13.0' : null,
      computedMinMacOsVersion: platform === 'MAC_OS' ? '13.0' : '13.0', computedMinVisionOsVersion: platform === 'MAC_OS' ? null : '1.0',
      iconAssetToken: processing ? null : ICON(appId, b.number), processingState: b.state,
      buildAudienceType: b.audience ?? 'APP_STORE_ELIGIBLE', usesNonExemptEncryption: b.encryption ?? null,
    }, { app: appId, preReleaseVersion: trains.get(`${platform}:${b.version}`)!, individualTesters: [] });
    const internal = b.expired ? 'EXPIRED' : processing ? 'PROCESSING' : b.state !== 'VALID' ? 'PROCESSING_EXCEPTION'
      : b.encryption === null || b.encryption === undefined ? 'MISSING_EXPORT_COMPLIANCE' : 'IN_BETA_TESTING';
    store.add('buildBetaDetails', buildId, {
      autoNotifyEnabled: true, internalBuildState: internal,
      externalBuildState: internal === 'IN_BETA_TESTING' ? 'BETA_APPROVED' : internal === 'PROCESSING_EXCEPTION' ? 'PROCESSING_EXCEPTION' : internal,
    }, { build: buildId });
  }

  // App Store versions, their localizations, phased releases and review submissions.
  const versionIds = new Map<string, string>();
  for (const v of def.versions) {
    const platform = v.platform ?? 'IOS';
    const vId = id('appStoreVersion', `${platform}:${v.version}`);
    versionIds.set(v.version, versionIds.get(v.version) ?? vId);
    const created = ago(v.daysAgo, 5);
    store.add('appStoreVersions', vId, {
      platform, versionString: v.version, appStoreState: v.state, appVersionState: appVersionStateOf(v.state),
      copyright: `${new Date(created).getUTCFullYear()} ${def.name.split(' ')[0]} Labs`, reviewType: 'APP_STORE',
      releaseType: v.releaseType ?? 'AFTER_APPROVAL', earliestReleaseDate: null, usesIdfa: null, downloadable: true, createdDate: appleDate(created),
    }, { app: appId, build: v.build ? buildIds.get(v.build) ?? null : null });
    const locs: LocDef[] = v.locs ?? [
      { locale: 'en-US', description: def.description, keywords: def.keywords, whatsNew: v.whatsNew ?? null, promotionalText: def.promo, supportUrl: def.support, marketingUrl: def.marketing },
      ...(def.extraLocales ?? []).map((l) => ({ locale: l.locale, description: l.description, keywords: l.keywords, whatsNew: l.whatsNew, promotionalText: null, supportUrl: def.support, marketingUrl: def.marketing })),
    ];
    for (const l of locs) store.add('appStoreVersionLocalizations', id('asvLoc', `${platform}:${v.version}:${l.locale}`), { ...l }, { appStoreVersion: vId });
    if (v.phased) {
      store.add('appStoreVersionPhasedReleases', id('phased', v.version), {
        phasedReleaseState: v.phased.state, startDate: v.phased.startDaysAgo === null ? null : appleDate(ago(v.phased.startDaysAgo)),
        totalPauseDuration: 0, currentDayNumber: v.phased.day,
      }, { _appStoreVersion: vId });
    }
    if (v.submission) {
      const sId = id('reviewSubmission', `${platform}:${v.version}`);
      store.add('reviewSubmissions', sId, {
        platform, submittedDate: new Date(ago(v.submission.daysAgo, 2)).toISOString(), state: v.submission.state,
      }, { app: appId, appStoreVersionForReview: vId });
      const itemState = v.submission.state === 'COMPLETE' ? 'APPROVED' : v.submission.state === 'UNRESOLVED_ISSUES' ? 'REJECTED' : 'READY_FOR_REVIEW';
      store.add('reviewSubmissionItems', id('reviewSubmissionItem', `${platform}:${v.version}`), { state: itemState }, { appStoreVersion: vId, _reviewSubmission: sId });
    }
  }

  // TestFlight: groups, testers, feedback.
  const groupIds = def.groups.map((g, gi) => {
    const gId = id('betaGroup', String(gi));
    store.add('betaGroups', gId, {
      name: g.name, createdDate: appleDate(ago(g.daysAgo)), isInternalGroup: g.internal, hasAccessToAllBuilds: g.internal ? true : null,
      publicLinkEnabled: !!g.publicLink, publicLinkId: g.publicLink ?? null, publicLinkLimitEnabled: !!g.limit, publicLinkLimit: g.limit ?? null,
      publicLink: g.publicLink ? `https://testflight.apple.com/join/${g.publicLink}` : null, feedbackEnabled: true,
      iosBuildsAvailableForAppleSiliconMac: false, iosBuildsAvailableForAppleVision: false,
    }, { app: appId, builds: g.builds.map((n) => buildIds.get(n)!).filter(Boolean) });
    return gId;
  });
  const testerIds = def.testers.map((t) => {
    const tId = id('betaTester', t.email);
    const existing = store.get('betaTesters', tId);
    if (existing) return tId;
    store.add('betaTesters', tId, {
      firstName: t.first, lastName: t.last, email: t.email, inviteType: t.invite ?? 'EMAIL', state: t.state,
      appDevices: (t.devices ?? []).map((d) => ({ ...d, platform: 'IOS' })),
    }, { apps: [appId], betaGroups: t.groups.map((g) => groupIds[g]!), builds: [] });
    return tId;
  });
  for (const [fi, f] of def.feedback.entries()) {
    const t = def.testers[f.tester]!;
    const buildId = buildIds.get(f.build)!;
    const created = ago(0, f.hoursAgo);
    const common: Attrs = {
      createdDate: appleDate(created), comment: f.comment, email: t.email, deviceModel: f.device, osVersion: f.os, locale: 'en-US',
      timeZone: 'America/Los_Angeles', architecture: 'arm64e', connectionType: fi % 2 ? 'MOBILE_DATA' : 'WIFI', pairedAppleWatch: fi % 2 ? null : 'Watch7,1',
      appUptimeInMilliseconds: 183_000 + fi * 41_000, diskBytesAvailable: 41_234_567_168 - fi * 1e9, diskBytesTotal: 127_989_493_760,
      batteryPercentage: 78 - fi * 11, screenWidthInPoints: f.device.startsWith('iPad') ? 1024 : 393, screenHeightInPoints: f.device.startsWith('iPad') ? 1366 : 852,
      appPlatform: 'IOS', devicePlatform: f.device.startsWith('iPad') ? 'IOS' : 'IOS', deviceFamily: f.device.startsWith('iPad') ? 'IPAD' : 'IPHONE', buildBundleId: def.bundleId,
    };
    const rels = { build: buildId, tester: testerIds[f.tester]!, _app: appId };
    if (f.kind === 'screenshot') {
      store.add('betaFeedbackScreenshotSubmissions', id('screenshotFeedback', String(fi)), {
        ...common,
        screenshots: [{ url: `https://tf-feedback.example.apple.com/${appId}/${fi}/screenshot-1.png`, width: 1179, height: 2556, expirationDate: appleDate(created + 7 * DAY) }],
      }, rels);
    } else {
      const sId = id('crashFeedback', String(fi));
      store.add('betaFeedbackCrashSubmissions', sId, common, rels);
      const build = store.get('builds', buildId)!;
      const train = store.get('preReleaseVersions', build.rels.preReleaseVersion as string)!;
      store.add('betaCrashLogs', id('crashLog', String(fi)), {
        logText: CRASH_LOG(def.bundleId, def.name, String(build.attributes.version), String(train.attributes.version), f.device, f.os),
      }, { _submission: sId });
    }
  }

  // Customer reviews and responses.
  for (const [ri, r] of def.reviews.entries()) {
    const rId = id('customerReview', String(ri));
    store.add('customerReviews', rId, {
      rating: r.rating, title: r.title, body: r.body, reviewerNickname: r.nick, createdDate: appleDate(ago(0, r.hoursAgo)), territory: r.territory,
    }, { reviewTerritory: r.territory, _app: appId, _appStoreVersion: r.version ? versionIds.get(r.version) ?? null : null });
    if (r.response) {
      store.add('customerReviewResponses', id('customerReviewResponse', String(ri)), {
        responseBody: r.response.body, lastModifiedDate: new Date(ago(0, r.response.hoursAgo)).toISOString(), state: r.response.state,
      }, { review: rId });
    }
  }
}

/** The hand-written apps, for tests and docs. */
export const DEMO_APPS = APPS.map((a) => ({ id: a.id, name: a.name, bundleId: a.bundleId }));
