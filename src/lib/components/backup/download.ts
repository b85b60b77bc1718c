/** Saves a file the app made: a temporary link with `download`, clicked once. */
export function downloadBlob(blob: Blob, fileName: string): void {
	const url = URL.createObjectURL(blob);
	const link = document.createElement('a');
	link.href = url;
	link.download = fileName;
	link.rel = 'noopener';
	document.body.append(link);
	link.click();
	link.remove();
	// Some browsers start the download after the click returns: keep the URL alive a while.
	setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
