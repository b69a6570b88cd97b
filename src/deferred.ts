// What the extension loads on first use, as one bundle of its own (dist/deferred.js; esbuild.mjs): every
// provider's code, with its first connection or account command, and every panel, when one first opens.
// Activation then parses only dist/extension.js: the tree, the commands and the little they share with this.
export { ascProvider } from './providers/asc';
export { itcProvider } from './providers/itc';
export { appTweakProvider } from './providers/apptweak';
export { appsFlyerProvider } from './providers/appsflyer';
export { apptentiveProvider } from './providers/apptentive';
export { MetadataPanel } from './panels/metadataPanel';
export { BuildsPanel } from './panels/buildsPanel';
export { TestFlightPanel } from './panels/testflightPanel';
export { ReviewsPanel } from './panels/reviewsPanel';
export { ReportsPanel } from './panels/reportsPanel';
export { FeedbackPanel } from './panels/feedbackPanel';
export { SurveysPanel } from './panels/surveysPanel';
export { ReleasePanel } from './panels/releasePanel';
export { InboxPanel } from './panels/inboxPanel';
export { OverviewPanel } from './panels/overviewPanel';
