// Reveals the information board's print button; without JavaScript the toolbar text explains the browser's print.
for (const button of document.querySelectorAll('[data-board-print]')) {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
}
