// The driver's page (/d/): the only script of a link page. "Share my location" (an explicit tap) sends the phone's
// position every minute while the page is open; the signature pad draws into a PNG for the proof-of-delivery form.
// No third-party request; everything else on the page works without it.
// The texts are the page's, in the driver's language: each comes in a data-t-* attribute of the element it belongs to,
// with %1, %2, %3 where a name or a size goes.
(function () {
  'use strict';
  const MINUTE = 60 * 1000;

  // text with %1, %2, %3 replaced by the arguments (as they are: a file's name may hold '$')
  function fill(text) {
    const args = arguments;
    return String(text || '').replace(/%([1-3])/g, function (all, n) {
      return args[Number(n)] === undefined ? all : String(args[Number(n)]);
    });
  }

  function sharing() {
    const box = document.getElementById('location');
    const button = document.getElementById('share-location');
    const state = document.getElementById('location-state');
    if (!box || !button || !('geolocation' in navigator)) {
      return;
    }
    const t = box.dataset;
    button.hidden = false;
    state.textContent = '';
    let timer = null;
    function send(position) {
      const body = new URLSearchParams();
      body.set('nonce', box.dataset.nonce);
      body.set('latitude', String(position.coords.latitude));
      body.set('longitude', String(position.coords.longitude));
      body.set('recordedAt', String(Math.round(position.timestamp || Date.now())));
      fetch(box.dataset.positions, { method: 'POST', body: body, credentials: 'omit', cache: 'no-store' })
        .then(function (r) {
          const ended = r.status === 404 || r.status === 410;
          if (ended) { // the link ended: no later try can succeed
            stop();
          }
          // 422: the position's time, which is the phone's, is too old or ahead of the server's clock
          state.textContent = r.ok ? fill(t.tShared, sharedAt())
            : ended ? t.tEnded : r.status === 422 ? t.tClock : fill(t.tNotAccepted, r.status);
          state.dataset.sent = r.ok ? String((Number(state.dataset.sent) || 0) + 1) : state.dataset.sent;
        })
        .catch(function () { state.textContent = t.tNoConnection; });
    }
    // the phone's time, named as the page names every time: "12:25 (America/New_York)"
    function sharedAt() {
      const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      const time = new Date().toLocaleTimeString(document.documentElement.lang, { hour: '2-digit', minute: '2-digit' });
      return zone ? time + ' (' + zone + ')' : time;
    }
    function stop() {
      clearInterval(timer);
      timer = null;
      button.textContent = t.tShare;
    }
    function locate() {
      navigator.geolocation.getCurrentPosition(send, function (e) {
        // the browser's own message is in the browser's language, not the page's: said by its code instead
        if (e.code === 1) { // PERMISSION_DENIED: every next try would fail the same way
          stop();
          state.textContent = t.tDenied;
        } else {
          state.textContent = e.code === 3 ? t.tTimeout : t.tUnavailable;
        }
      }, { enableHighAccuracy: true, maximumAge: 30000, timeout: 20000 });
    }
    button.addEventListener('click', function () {
      if (timer !== null) {
        stop();
        state.textContent = t.tStopped;
        return;
      }
      locate();
      timer = setInterval(locate, MINUTE);
      button.textContent = t.tStopSharing;
      state.textContent = t.tSharing;
    });
  }

  function signature() {
    const box = document.getElementById('signature-box');
    const canvas = document.getElementById('signature-pad');
    const field = document.getElementById('signature');
    if (!box || !canvas || !field || !canvas.getContext) {
      return;
    }
    box.hidden = false;
    const ctx = canvas.getContext('2d');
    ctx.lineWidth = 3;
    ctx.lineCap = 'round';
    ctx.strokeStyle = '#111';
    let drawing = false;
    let drawn = false;
    function point(e) {
      const r = canvas.getBoundingClientRect();
      return { x: (e.clientX - r.left) * canvas.width / r.width, y: (e.clientY - r.top) * canvas.height / r.height };
    }
    canvas.addEventListener('pointerdown', function (e) {
      drawing = true;
      const p = point(e);
      ctx.beginPath();
      ctx.moveTo(p.x, p.y);
      canvas.setPointerCapture(e.pointerId);
      e.preventDefault();
    });
    canvas.addEventListener('pointermove', function (e) {
      if (!drawing) {
        return;
      }
      const p = point(e);
      ctx.lineTo(p.x, p.y);
      ctx.stroke();
      drawn = true;
      e.preventDefault();
    });
    function end() {
      if (drawing && drawn) {
        field.value = canvas.toDataURL('image/png');
      }
      drawing = false;
    }
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
    document.getElementById('signature-clear').addEventListener('click', function () {
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      field.value = '';
      drawn = false;
    });
  }

  // Checks the photos against the limits the page states before sending, so that a driver never waits for an
  // upload the server must refuse; the server checks the same without this.
  function photoLimits() {
    const form = document.getElementById('deliver-form');
    const input = document.getElementById('pod-photos');
    const problem = document.getElementById('photo-problem');
    if (!form || !input || !problem || !input.files) {
      return;
    }
    const most = Number(form.dataset.maxPhotos);
    const each = Number(form.dataset.maxPhotoBytes);
    const total = Number(form.dataset.maxTotalBytes);
    const signatureMax = Number(form.dataset.maxSignature);
    const t = form.dataset;
    // as the server says sizes: whole megabytes when exact (the limits), else one decimal rounded up, in the page's
    // language ("9,1 MB"), so that a photo over the limit never reads as the limit itself
    function mb(bytes) {
      const whole = bytes % 1048576 === 0;
      return fill(t.tMb, whole ? String(bytes / 1048576) : (Math.ceil(bytes * 10 / 1048576) / 10)
        .toLocaleString(document.documentElement.lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 }));
    }
    function check() {
      const files = Array.prototype.filter.call(input.files, function (f) { return f.size > 0; });
      let sum = 0;
      for (let i = 0; i < files.length; i++) {
        sum += files[i].size;
        if (files[i].size > each) {
          return fill(t.tPhotoTooLarge, files[i].name, mb(files[i].size), mb(each));
        }
      }
      if (files.length > most) {
        return fill(t.tTooManyPhotos, files.length, most);
      }
      if (sum > total) {
        return fill(t.tPhotosTooLarge, mb(sum), mb(total));
      }
      const signed = document.getElementById('signature');
      if (signed && signed.value.length > signatureMax) {
        return t.tSignatureTooLarge;
      }
      return '';
    }
    function show(message) {
      problem.textContent = message;
      problem.hidden = message === '';
    }
    input.addEventListener('change', function () { show(check()); });
    form.addEventListener('submit', function (e) {
      const message = check();
      show(message);
      if (message !== '') {
        e.preventDefault();
      }
    });
  }

  function start() {
    sharing();
    signature();
    photoLimits();
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
