// A printed copy has no way to open a collapsed block: print the speaker
// notes and solutions open. (print.html prints as soon as it loads, so it
// is opened here too, not only on `beforeprint`.)
(function () {
    function openAll() {
        document.querySelectorAll("details").forEach(function (d) { d.open = true; });
    }
    window.addEventListener("beforeprint", openAll);
    if (window.location.pathname.endsWith("/print.html")) {
        openAll();
    }
})();
