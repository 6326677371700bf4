console.log("postinstall placeholder", process.version)
