// statbrief serve: the page's only script (served from this server; the
// Content-Security-Policy allows no other). It adds drag and drop of files
// and folders, an upload progress bar, the issue filter's auto-submit and
// the article's copy button. Every page also works without it.
'use strict';

(function () {
  function byId(id) { return document.getElementById(id); }

  // ---- upload: drop zone, file and folder pickers, progress ----
  var form = byId('upload-form');
  if (form) {
    var chosen = [];
    var list = byId('chosen');
    var summary = byId('chosen-summary');
    var errorBox = byId('upload-error');

    var showError = function (text) {
      errorBox.textContent = text;
      errorBox.hidden = !text;
    };
    var sizeText = function (n) {
      return n >= 1048576 ? (n / 1048576).toFixed(1) + ' MB' : Math.ceil(n / 1024) + ' KB';
    };
    // The same rule as the server's (upload.rs): ledgers, zips, statbrief.toml.
    var taken = function (p) {
      var name = p.split(/[\\/]/).pop().toLowerCase();
      return name === 'statbrief.toml' || (name.indexOf('~$') !== 0 && /\.(xlsx|xlsm|xls|xlsb|ods|csv|zip)$/.test(name));
    };
    var refresh = function () {
      list.textContent = '';
      var total = 0;
      var ignored = 0;
      chosen.forEach(function (c, i) {
        total += c.file.size;
        var ok = taken(c.path);
        if (!ok) { ignored++; }
        if (i < 300) {
          var li = document.createElement('li');
          li.textContent = c.path + (ok ? '' : '（不是台账，不会接收）');
          if (!ok) { li.className = 'ignored'; }
          list.appendChild(li);
        }
      });
      summary.hidden = chosen.length === 0;
      byId('chosen-clear-line').hidden = chosen.length === 0;
      summary.textContent = '已选择 ' + chosen.length + ' 个文件，共 ' + sizeText(total) +
        (ignored ? '（其中 ' + ignored + ' 个不是台账，不会接收）' : '');
    };
    byId('chosen-clear').addEventListener('click', function () {
      chosen = [];
      showError('');
      refresh();
    });
    var add = function (file, path) {
      chosen.push({ file: file, path: path || file.webkitRelativePath || file.name });
    };
    // A dropped folder is walked with the File System entries API.
    var walk = function (entry, done) {
      if (entry.isFile) {
        entry.file(function (f) { add(f, entry.fullPath.replace(/^\//, '')); done(); }, done);
      } else if (entry.isDirectory) {
        var reader = entry.createReader();
        var all = [];
        var more = function () {
          reader.readEntries(function (batch) {
            if (!batch.length) {
              var left = all.length;
              if (!left) { done(); return; }
              all.forEach(function (e) { walk(e, function () { if (--left === 0) { done(); } }); });
            } else {
              all = all.concat(Array.prototype.slice.call(batch));
              more();
            }
          }, done);
        };
        more();
      } else {
        done();
      }
    };

    var drop = byId('drop');
    ['dragenter', 'dragover'].forEach(function (t) {
      drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.add('over'); });
    });
    ['dragleave', 'drop'].forEach(function (t) {
      drop.addEventListener(t, function () { drop.classList.remove('over'); });
    });
    drop.addEventListener('drop', function (e) {
      e.preventDefault();
      showError('');
      var items = e.dataTransfer.items;
      var entries = [];
      for (var i = 0; items && i < items.length; i++) {
        var en = items[i].webkitGetAsEntry && items[i].webkitGetAsEntry();
        if (en) { entries.push(en); }
      }
      if (!entries.length) {
        Array.prototype.forEach.call(e.dataTransfer.files, function (f) { add(f); });
        refresh();
        return;
      }
      var left = entries.length;
      entries.forEach(function (en) { walk(en, function () { if (--left === 0) { refresh(); } }); });
    });
    ['pick-files', 'pick-folder'].forEach(function (id) {
      byId(id).addEventListener('change', function (e) {
        showError('');
        Array.prototype.forEach.call(e.target.files, function (f) { add(f); });
        e.target.value = '';
        refresh();
      });
    });

    form.addEventListener('submit', function (e) {
      e.preventDefault();
      if (!chosen.length) { showError('请先选择或拖入台账文件。'); return; }
      // Checked here too: a server that refuses a large body early may close
      // the connection before the browser reads its message.
      var limit = Number(form.getAttribute('data-limit-mb')) * 1048576;
      var total = chosen.reduce(function (n, c) { return n + c.file.size; }, 0);
      if (limit && total > limit) {
        showError('选择的文件共 ' + sizeText(total) + '，超过一次上传的上限 ' + form.getAttribute('data-limit-mb') + ' MB，请分批上传。');
        return;
      }
      var data = new FormData();
      chosen.forEach(function (c) { data.append('files', c.file, c.path); });
      var button = byId('upload-button');
      var bar = byId('bar');
      var text = byId('progress-text');
      byId('progress').hidden = false;
      button.disabled = true;
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.upload.addEventListener('progress', function (ev) {
        if (ev.lengthComputable) {
          bar.value = Math.round(ev.loaded * 100 / ev.total);
          text.textContent = '正在上传 ' + bar.value + '%';
        }
      });
      xhr.upload.addEventListener('load', function () {
        bar.removeAttribute('value');
        text.textContent = '上传完成，正在检查台账……';
      });
      xhr.addEventListener('load', function () {
        if (xhr.status === 200 && xhr.responseURL.indexOf('/batch/') >= 0) {
          window.location.href = xhr.responseURL;
          return;
        }
        var doc = new DOMParser().parseFromString(xhr.responseText, 'text/html');
        var msg = doc.getElementById('error-message');
        showError(msg ? msg.textContent : '上传失败（' + xhr.status + '），请重试。');
        byId('progress').hidden = true;
        button.disabled = false;
      });
      xhr.addEventListener('error', function () {
        showError('上传失败：与本机服务的连接中断。请确认 statbrief serve 仍在运行。');
        byId('progress').hidden = true;
        button.disabled = false;
      });
      xhr.send(data);
    });
  }

  // ---- check page: the filter applies on change ----
  Array.prototype.forEach.call(document.querySelectorAll('select[data-autosubmit]'), function (el) {
    el.addEventListener('change', function () { el.form.submit(); });
  });

  // ---- run page: the running button, the copy button ----
  var runForm = byId('run-form');
  if (runForm) {
    runForm.addEventListener('submit', function () {
      var b = byId('run-button');
      b.disabled = true;
      b.textContent = '正在生成……';
    });
  }
  var copy = byId('copy-article');
  if (copy) {
    copy.addEventListener('click', function () {
      var area = byId(copy.getAttribute('data-copy'));
      var status = byId('copy-status');
      var done = function () { status.textContent = '已复制'; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(area.value).then(done, function () { area.select(); document.execCommand('copy'); done(); });
      } else {
        area.select();
        document.execCommand('copy');
        done();
      }
    });
  }
})();
