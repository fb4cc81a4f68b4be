// Refuse a file over the limit before sending it, in Dutch; the server refuses it too
// (waitress, on the declared size), but only with its own English error page.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("upload");
  if (!form) { return; }
  form.addEventListener("submit", function (event) {
    var input = document.getElementById("bestand");
    var max = Number(form.dataset.maxBytes);
    if (input.files.length && input.files[0].size > max) {
      event.preventDefault();
      var note = document.getElementById("te-groot");
      note.textContent = "Het bestand is te groot: de grens is " + Math.round(max / 1048576) +
        " MB. Het is niet verstuurd.";
      note.hidden = false;
    }
  });
});
