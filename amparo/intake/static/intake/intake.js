/* Progressive enhancement for the report and follow-up forms: resumable uploads with a progress bar (tus, vendored
   tus-js-client), and "add my location". Without JavaScript the same form sends the files as plain multipart. */
(function () {
  "use strict";

  function setupUploads(box) {
    var input = box.querySelector("input[type=file]");
    var form = box.closest("form");
    var ids = form.querySelector("input[name=upload_ids]");
    var formToken = form.querySelector("input[name=form_token]"); /* binds the uploads to this form */
    var list = box.querySelector(".uploads");
    var send = form.querySelector("button[type=submit]");
    var endpoint = box.getAttribute("data-tus-endpoint");
    if (!input || !ids || !window.tus || !window.tus.isSupported) { return; }
    var running = 0;

    function busy(delta) {
      running += delta;
      send.disabled = running > 0;
    }

    input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(input.files || []);
      if (!files.length) { return; }
      var pending = files.length;
      list.setAttribute("data-state", "uploading");
      var batch = [];
      var failed = false;
      files.forEach(function (file) {
        var item = document.createElement("li");
        var label = document.createElement("span");
        label.textContent = file.name + " ";
        var bar = document.createElement("progress");
        bar.max = 100;
        bar.value = 0;
        item.appendChild(label);
        item.appendChild(bar);
        list.appendChild(item);
        busy(1);
        var upload = new window.tus.Upload(file, {
          endpoint: endpoint,
          chunkSize: 8 * 1024 * 1024,
          retryDelays: [0, 1000, 3000, 5000, 10000],
          removeFingerprintOnSuccess: true,
          metadata: { filename: file.name, filetype: file.type || "" },
          headers: formToken && formToken.value ? { "Amparo-Form-Token": formToken.value } : {},
          onProgress: function (sent, total) {
            bar.value = total ? Math.floor((sent / total) * 100) : 0;
          },
          onError: function () {
            failed = true;
            item.className = "failed";
            label.textContent = file.name + " – " + list.getAttribute("data-failed");
            finish();
          },
          onSuccess: function () {
            bar.value = 100;
            label.textContent = file.name + " – " + list.getAttribute("data-done") + " ";
            batch.push(upload.url.split("/").pop());
            finish();
          }
        });
        function finish() {
          busy(-1);
          pending -= 1;
          if (pending === 0) {
            list.setAttribute("data-state", failed ? "failed" : "done");
            if (failed) { return; } /* the files stay in the input and go with the form */
            ids.value = (ids.value ? ids.value + " " : "") + batch.join(" ");
            input.value = "";
          }
        }
        upload.findPreviousUploads().then(function (previous) {
          if (previous.length) { upload.resumeFromPreviousUpload(previous[0]); }
          upload.start();
        });
      });
    });
  }

  function setupLocation(form) {
    var holder = form.querySelector(".geo");
    var lat = form.querySelector("input[name=latitude]");
    var lon = form.querySelector("input[name=longitude]");
    if (!holder || !lat || !lon || !navigator.geolocation) { return; }
    holder.hidden = false;
    var button = holder.querySelector("button");
    button.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        lat.value = pos.coords.latitude.toFixed(5);
        lon.value = pos.coords.longitude.toFixed(5);
        button.textContent = button.getAttribute("data-saved");
      });
    });
  }

  document.querySelectorAll(".files[data-tus-endpoint]").forEach(setupUploads);
  document.querySelectorAll("form.report-form").forEach(setupLocation);
})();
