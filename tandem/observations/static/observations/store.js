/* What a person records, kept in this browser (IndexedDB) until Tandem has it.
   One record per session: its header and every tap. Nothing else is stored here, and a
   session is deleted from here as soon as the server confirms it (sync.js). */
(function () {
  "use strict";
  const NAME = "tandem-observations";
  const STORE = "sessions";

  function open() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "uuid" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  function run(mode, work) {
    return open().then(
      (db) =>
        new Promise((resolve, reject) => {
          const transaction = db.transaction(STORE, mode);
          const request = work(transaction.objectStore(STORE));
          transaction.oncomplete = () => {
            db.close();
            resolve(request ? request.result : undefined);
          };
          transaction.onerror = () => {
            db.close();
            reject(transaction.error);
          };
        }),
    );
  }

  window.TandemStore = {
    put: (session) => run("readwrite", (store) => store.put(session)),
    get: (uuid) => run("readonly", (store) => store.get(uuid)),
    all: () => run("readonly", (store) => store.getAll()),
    remove: (uuid) => run("readwrite", (store) => store.delete(uuid)),
  };
})();
