// New-request alerts that need no page state: a two-note chime (WebAudio, so no media file and
// nothing for a CSP to block) and a favicon with the number of waiting requests drawn on it.

let audio = null;

export function unlockAudio() {
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!Context) return;
  try {
    if (!audio) audio = new Context();
    if (audio.state === "suspended") audio.resume().catch(() => {});
  } catch {
    audio = null;
  }
}


export function chime() {
  if (!audio) unlockAudio();
  if (!audio) return;
  try {
    if (audio.state === "suspended") audio.resume().catch(() => {});
    const start = audio.currentTime + 0.01;
    const gain = audio.createGain();
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.2, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.35);
    gain.connect(audio.destination);
    for (const [frequency, offset] of [
      [880, 0],
      [1320, 0.12],
    ]) {
      const tone = audio.createOscillator();
      tone.type = "sine";
      tone.frequency.setValueAtTime(frequency, start + offset);
      tone.connect(gain);
      tone.start(start + offset);
      tone.stop(start + offset + 0.22);
    }
  } catch {
    // no sound available: the title, favicon and notification still tell
  }
}

const faviconCache = new Map();

export function faviconFor(count) {
  const key = Math.min(count, 10);
  if (faviconCache.has(key)) return faviconCache.get(key);
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 64;
  const g = canvas.getContext("2d");
  if (!g) return null;
  g.fillStyle = "#1d4ed8";
  g.beginPath();
  g.roundRect ? g.roundRect(4, 8, 50, 38, 10) : g.rect(4, 8, 50, 38);
  g.fill();
  g.beginPath();
  g.moveTo(14, 44);
  g.lineTo(12, 58);
  g.lineTo(28, 44);
  g.fill();
  g.fillStyle = "#ffffff";
  for (const x of [17, 29, 41]) {
    g.beginPath();
    g.arc(x, 27, 4, 0, Math.PI * 2);
    g.fill();
  }
  if (count > 0) {
    g.fillStyle = "#c5221f";
    g.beginPath();
    g.arc(46, 20, 18, 0, Math.PI * 2);
    g.fill();
    g.fillStyle = "#ffffff";
    g.font = "bold 24px sans-serif";
    g.textAlign = "center";
    g.textBaseline = "middle";
    g.fillText(count > 9 ? "9+" : String(count), 46, 21);
  }
  const url = canvas.toDataURL("image/png");
  faviconCache.set(key, url);
  return url;
}
