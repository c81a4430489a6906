// az_tool.js - the Azure SDK for JavaScript (@azure/storage-blob), an
// implementation independent of ours, for the azblob tests: make
// containers, list and download blobs, make SAS tokens, and re-sign
// requests our binary sent to compare Authorization values.
//
//   node az_tool.js mkcontainer NAME
//   node az_tool.js list NAME            one JSON line per blob
//   node az_tool.js fetch NAME DIR       every blob to DIR/<blob name>
//   node az_tool.js put NAME BLOB FILE   upload FILE (no condition)
//   node az_tool.js sas NAME [PERMS]     a container SAS token (default racwl)
//   node az_tool.js resign ACCOUNT KEY FILE
//        FILE: JSON lines {method, url, headers} as a server received
//        them; prints "ok N" when the SDK's Shared Key policy computes the
//        same Authorization for each, else the first mismatch (exit 1).
//
// Environment: AZ_ENDPOINT (http://127.0.0.1:PORT/devstoreaccount1),
// AZ_ACCOUNT, AZ_KEY; NODE_PATH must reach the installed SDK.
"use strict";
const fs = require("fs");
const path = require("path");
const blob = require("@azure/storage-blob");

function service() {
	const cred = new blob.StorageSharedKeyCredential(process.env.AZ_ACCOUNT, process.env.AZ_KEY);
	return [new blob.BlobServiceClient(process.env.AZ_ENDPOINT, cred), cred];
}

async function main(argv) {
	const [cmd, ...a] = argv;
	if (cmd === "resign")
		return resign(a[0], a[1], a[2]);
	const [svc, cred] = service();
	const cc = a[0] ? svc.getContainerClient(a[0]) : null;
	switch (cmd) {
	case "mkcontainer":
		await cc.create();
		return;
	case "list":
		for await (const b of cc.listBlobsFlat({ includeMetadata: true })) {
			const md5 = b.properties.contentMD5 ? Buffer.from(b.properties.contentMD5).toString("base64") : "";
			console.log(JSON.stringify({ name: b.name, size: b.properties.contentLength, md5,
				type: b.properties.contentType, meta: b.metadata || {} }));
		}
		return;
	case "fetch":
		for await (const b of cc.listBlobsFlat()) {
			const out = path.join(a[1], b.name);
			fs.mkdirSync(path.dirname(out), { recursive: true });
			await cc.getBlobClient(b.name).downloadToFile(out);
		}
		return;
	case "put":
		await cc.getBlockBlobClient(a[1]).uploadFile(a[2]);
		return;
	case "sas": {
		const perms = blob.ContainerSASPermissions.parse(a[1] || "racwl");
		const q = blob.generateBlobSASQueryParameters({ containerName: a[0], permissions: perms,
			startsOn: new Date(Date.now() - 300e3), expiresOn: new Date(Date.now() + 86400e3),
			version: "2021-08-06" }, cred);
		console.log(q.toString());
		return;
	}
	default:
		throw new Error("unknown command " + cmd);
	}
}

// Re-sign with the SDK's own Shared Key policy.  It stamps x-ms-date with
// the current time, so the clock it reads is pinned to the captured date.
async function resign(account, key, file) {
	const common = require("@azure/storage-common");
	const pipe = require("@azure/core-rest-pipeline");
	const lines = fs.readFileSync(file, "utf8").split("\n").filter((l) => l);
	let n = 0;
	for (const l of lines) {
		const rq = JSON.parse(l);
		if (!rq.headers.authorization)
			continue;
		const h = pipe.createHttpHeaders();
		for (const [k, v] of Object.entries(rq.headers))
			if (k !== "authorization")
				h.set(k, v);
		const req = pipe.createPipelineRequest({ url: rq.url, method: rq.method, headers: h });
		const saved = Date.prototype.toUTCString;
		Date.prototype.toUTCString = () => rq.headers["x-ms-date"];
		try {
			const pol = common.storageSharedKeyCredentialPolicy({ accountName: account,
				accountKey: Buffer.from(key, "base64") });
			await pol.sendRequest(req, async () => ({}));
		} finally {
			Date.prototype.toUTCString = saved;
		}
		const want = req.headers.get("authorization");
		if (want !== rq.headers.authorization) {
			console.log("MISMATCH " + rq.method + " " + rq.url + ": sdk " + want.replace(/:.*/, ":...") +
				" differs from ours");
			process.exit(1);
		}
		n++;
	}
	console.log("ok " + n);
}

main(process.argv.slice(2)).catch((e) => {
	console.error("az_tool: " + (e.code || "") + " " + e.message);
	process.exit(1);
});
