// Runs before the first paint (a blocking script in <head>, a few bytes, precached): the deck
// list is prerendered with the first-run introduction in it, and a device that closed the
// introduction hides it here, so neither a new nor a returning learner sees the page move
// (state/first-run.ts keeps the same key; `/?welcome` shows it again).
try {
	if (
		localStorage.getItem('recall.first-run-closed') === '1' &&
		!new URLSearchParams(location.search).has('welcome')
	) {
		document.documentElement.classList.add('first-run-closed');
	}
} catch {
	// Storage off: the app skips the introduction then, so it is hidden here too.
	document.documentElement.classList.add('first-run-closed');
}
