// @ts-nocheck: precompiled Handlebars specs.
// Generated from templates/*.hbs by scripts/compile-templates.ts (`npm run templates`): do not edit.
export const TEMPLATE_SPECS = {
  "compose-op-env.hbs": {"0":function(container,depth0,helpers,partials,data) {
    var stack1;

  return ((stack1 = container.lambda(depth0, depth0)) != null ? stack1 : "")
    + "\n";
},"compiler":[8,">= 4.3.0"],"main":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return ((stack1 = (((helper = lookupProperty(helpers,"header") || alias1(depth0, "header", {"start":{"line":1,"column":2},"end":{"line":1,"column":8}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"header","hash":{},"data":data,"loc":{"start":{"line":1,"column":0},"end":{"line":1,"column":10}}}) : helper))) != null ? stack1 : "")
    + "\n#\n# References only, never the secrets themselves. Compose cannot resolve op:// references, so start\n# the stack through the 1Password CLI, which resolves them and hands the values to docker compose as\n# environment variables:\n#   "
    + ((stack1 = (((helper = lookupProperty(helpers,"upCommand") || alias1(depth0, "upCommand", {"start":{"line":6,"column":6},"end":{"line":6,"column":15}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"upCommand","hash":{},"data":data,"loc":{"start":{"line":6,"column":4},"end":{"line":6,"column":17}}}) : helper))) != null ? stack1 : "")
    + "\n# (Portainer cannot run `op`: set the variables in the stack's environment instead.)\n"
    + ((stack1 = lookupProperty(helpers,"each").call(alias2,lookupProperty(depth0,"lines"),{"name":"each","hash":{},"fn":container.program(0, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":8,"column":0},"end":{"line":10,"column":9}}})) != null ? stack1 : "");
},"useData":true},
  "dockerfile-litestream.hbs": {"0":function(container,depth0,helpers,partials,data) {
    var stack1, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "#\n"
    + ((stack1 = lookupProperty(helpers,"each").call(depth0 != null ? depth0 : (container.nullContext || {}),lookupProperty(depth0,"oneWriter"),{"name":"each","hash":{},"fn":container.program(1, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":16,"column":0},"end":{"line":18,"column":9}}})) != null ? stack1 : "");
},"1":function(container,depth0,helpers,partials,data) {
    var stack1;

  return "# "
    + ((stack1 = container.lambda(depth0, depth0)) != null ? stack1 : "")
    + "\n";
},"2":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "# restoreFrom: environment "
    + ((stack1 = (((helper = lookupProperty(helpers,"seedFrom") || alias1(depth0, "seedFrom", {"start":{"line":29,"column":29},"end":{"line":29,"column":37}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"seedFrom","hash":{},"data":data,"loc":{"start":{"line":29,"column":27},"end":{"line":29,"column":39}}}) : helper))) != null ? stack1 : "")
    + "'s replicas, read only by the entrypoint's restore (never by replicate).\n"
    + ((stack1 = (((helper = lookupProperty(helpers,"copyRestoreFrom") || alias1(depth0, "copyRestoreFrom", {"start":{"line":30,"column":2},"end":{"line":30,"column":17}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"copyRestoreFrom","hash":{},"data":data,"loc":{"start":{"line":30,"column":0},"end":{"line":30,"column":19}}}) : helper))) != null ? stack1 : "")
    + "\n";
},"compiler":[8,">= 4.3.0"],"main":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return ((stack1 = (((helper = lookupProperty(helpers,"header") || alias1(depth0, "header", {"start":{"line":1,"column":2},"end":{"line":1,"column":8}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"header","hash":{},"data":data,"loc":{"start":{"line":1,"column":0},"end":{"line":1,"column":10}}}) : helper))) != null ? stack1 : "")
    + "\n#\n# Add these lines to the final stage of your Dockerfile (build context: the project root). They replace\n# your ENTRYPOINT and CMD: the app's command is now inside the entrypoint, which runs\n#   "
    + ((stack1 = (((helper = lookupProperty(helpers,"formerCommand") || alias1(depth0, "formerCommand", {"start":{"line":5,"column":6},"end":{"line":5,"column":19}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"formerCommand","hash":{},"data":data,"loc":{"start":{"line":5,"column":4},"end":{"line":5,"column":21}}}) : helper))) != null ? stack1 : "")
    + "\n# under Litestream.\n#\n# Stopping: Docker sends SIGTERM (the default STOPSIGNAL, which Litestream needs: it stops the app,\n# then makes its final sync) and SIGKILL after the stop timeout, which a Dockerfile cannot set.\n# Allow "
    + ((stack1 = (((helper = lookupProperty(helpers,"graceSeconds") || alias1(depth0, "graceSeconds", {"start":{"line":10,"column":10},"end":{"line":10,"column":22}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"graceSeconds","hash":{},"data":data,"loc":{"start":{"line":10,"column":8},"end":{"line":10,"column":24}}}) : helper))) != null ? stack1 : "")
    + "s where the container runs:\n#   docker run --stop-timeout "
    + ((stack1 = (((helper = lookupProperty(helpers,"graceSeconds") || alias1(depth0, "graceSeconds", {"start":{"line":11,"column":32},"end":{"line":11,"column":44}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"graceSeconds","hash":{},"data":data,"loc":{"start":{"line":11,"column":30},"end":{"line":11,"column":46}}}) : helper))) != null ? stack1 : "")
    + "; Compose stop_grace_period: "
    + ((stack1 = (((helper = lookupProperty(helpers,"graceSeconds") || alias1(depth0, "graceSeconds", {"start":{"line":11,"column":77},"end":{"line":11,"column":89}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"graceSeconds","hash":{},"data":data,"loc":{"start":{"line":11,"column":75},"end":{"line":11,"column":91}}}) : helper))) != null ? stack1 : "")
    + "s; Kamal (2.12+) stop_timeout: "
    + ((stack1 = (((helper = lookupProperty(helpers,"graceSeconds") || alias1(depth0, "graceSeconds", {"start":{"line":11,"column":124},"end":{"line":11,"column":136}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"graceSeconds","hash":{},"data":data,"loc":{"start":{"line":11,"column":122},"end":{"line":11,"column":138}}}) : helper))) != null ? stack1 : "")
    + ";\n#   fly.toml kill_timeout = "
    + ((stack1 = (((helper = lookupProperty(helpers,"graceSeconds") || alias1(depth0, "graceSeconds", {"start":{"line":12,"column":30},"end":{"line":12,"column":42}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"graceSeconds","hash":{},"data":data,"loc":{"start":{"line":12,"column":28},"end":{"line":12,"column":44}}}) : helper))) != null ? stack1 : "")
    + ".\n# Why: "
    + ((stack1 = (((helper = lookupProperty(helpers,"graceReason") || alias1(depth0, "graceReason", {"start":{"line":13,"column":9},"end":{"line":13,"column":20}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"graceReason","hash":{},"data":data,"loc":{"start":{"line":13,"column":7},"end":{"line":13,"column":22}}}) : helper))) != null ? stack1 : "")
    + ".\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(lookupProperty(depth0,"oneWriter"),"length"),{"name":"if","hash":{},"fn":container.program(0, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":14,"column":0},"end":{"line":19,"column":7}}})) != null ? stack1 : "")
    + "\n# Litestream "
    + ((stack1 = (((helper = lookupProperty(helpers,"release") || alias1(depth0, "release", {"start":{"line":21,"column":15},"end":{"line":21,"column":22}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"release","hash":{},"data":data,"loc":{"start":{"line":21,"column":13},"end":{"line":21,"column":24}}}) : helper))) != null ? stack1 : "")
    + ", copied from its official image: a static binary that runs on any base image,\n# pulled for the platform being built, with no curl or package manager needed in this image; the tag\n# pins the release.\n"
    + ((stack1 = (((helper = lookupProperty(helpers,"copyBinary") || alias1(depth0, "copyBinary", {"start":{"line":24,"column":2},"end":{"line":24,"column":12}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"copyBinary","hash":{},"data":data,"loc":{"start":{"line":24,"column":0},"end":{"line":24,"column":14}}}) : helper))) != null ? stack1 : "")
    + "\n\n# The generated config, where the entrypoint reads it (LITESTREAM_CONFIG overrides the path).\n"
    + ((stack1 = (((helper = lookupProperty(helpers,"copyConfig") || alias1(depth0, "copyConfig", {"start":{"line":27,"column":2},"end":{"line":27,"column":12}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"copyConfig","hash":{},"data":data,"loc":{"start":{"line":27,"column":0},"end":{"line":27,"column":14}}}) : helper))) != null ? stack1 : "")
    + "\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"copyRestoreFrom"),{"name":"if","hash":{},"fn":container.program(2, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":28,"column":0},"end":{"line":31,"column":7}}})) != null ? stack1 : "")
    + "\n# Restores missing databases, then runs the app under `litestream replicate -exec`\n# (COPY --chmod needs BuildKit, Docker's default builder since 23.0).\n"
    + ((stack1 = (((helper = lookupProperty(helpers,"copyEntrypoint") || alias1(depth0, "copyEntrypoint", {"start":{"line":35,"column":2},"end":{"line":35,"column":16}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"copyEntrypoint","hash":{},"data":data,"loc":{"start":{"line":35,"column":0},"end":{"line":35,"column":18}}}) : helper))) != null ? stack1 : "")
    + "\nENTRYPOINT "
    + ((stack1 = (((helper = lookupProperty(helpers,"entrypointJson") || alias1(depth0, "entrypointJson", {"start":{"line":36,"column":13},"end":{"line":36,"column":27}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"entrypointJson","hash":{},"data":data,"loc":{"start":{"line":36,"column":11},"end":{"line":36,"column":29}}}) : helper))) != null ? stack1 : "")
    + "\n# Empty on purpose: arguments would run a one-off command without Litestream.\nCMD []\n";
},"useData":true},
  "entrypoint.sh.hbs": {"0":function(container,depth0,helpers,partials,data) {
    var stack1, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "#   1. each missing database is restored from its latest backup before anything else opens it, because\n#      an app that creates an empty database first hides the backup (a restore skips existing files,\n#      so an empty 0-byte file is set aside first and put back only when there was no backup); with no\n#      backup yet, the app starts fresh; a database that is present is left untouched;\n"
    + ((stack1 = lookupProperty(helpers,"if").call(depth0 != null ? depth0 : (container.nullContext || {}),lookupProperty(depth0,"seedFrom"),{"name":"if","hash":{},"fn":container.program(1, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":10,"column":0},"end":{"line":13,"column":7}}})) != null ? stack1 : "");
},"1":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "#      with no backup of its own yet, a database is seeded from environment "
    + ((stack1 = (((helper = lookupProperty(helpers,"seedFrom") || container.strict(depth0, "seedFrom", {"start":{"line":11,"column":78},"end":{"line":11,"column":86}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"seedFrom","hash":{},"data":data,"loc":{"start":{"line":11,"column":76},"end":{"line":11,"column":88}}}) : helper))) != null ? stack1 : "")
    + "'s backup through\n#      a restore-only config that `replicate` never reads (read-only by construction, docs/lifecycle.md);\n";
},"2":function(container,depth0,helpers,partials,data) {
    return "#   1. (no restore: restoreOnBoot is off in the project description);\n";
},"3":function(container,depth0,helpers,partials,data) {
    var stack1, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "#   2. the app's own start-up steps run, after the restore, with or without Litestream:\n"
    + ((stack1 = lookupProperty(helpers,"each").call(depth0 != null ? depth0 : (container.nullContext || {}),lookupProperty(depth0,"beforeApp"),{"name":"each","hash":{},"fn":container.program(4, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":19,"column":0},"end":{"line":21,"column":9}}})) != null ? stack1 : "")
    + "#      Litestream is not running yet; what they write is in the database when it starts, and it\n#      replicates that too;\n";
},"4":function(container,depth0,helpers,partials,data) {
    var stack1;

  return "#        "
    + ((stack1 = container.lambda(container.strict(depth0, "comment", {"start":{"line":20,"column":11},"end":{"line":20,"column":23}} ), depth0)) != null ? stack1 : "")
    + "\n";
},"5":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "#   "
    + ((stack1 = (((helper = lookupProperty(helpers,"awsStep") || container.strict(depth0, "awsStep", {"start":{"line":29,"column":6},"end":{"line":29,"column":13}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"awsStep","hash":{},"data":data,"loc":{"start":{"line":29,"column":4},"end":{"line":29,"column":15}}}) : helper))) != null ? stack1 : "")
    + ". the app gets the container's own AWS_* variables, Litestream its LITESTREAM_* keys (Litestream\n#      would otherwise prefer an app's AWS_* keys, and hand its own to the app as AWS_*).\n";
},"6":function(container,depth0,helpers,partials,data) {
    var stack1, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "#\n"
    + ((stack1 = lookupProperty(helpers,"each").call(depth0 != null ? depth0 : (container.nullContext || {}),lookupProperty(depth0,"oneWriter"),{"name":"each","hash":{},"fn":container.program(7, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":40,"column":0},"end":{"line":42,"column":9}}})) != null ? stack1 : "");
},"7":function(container,depth0,helpers,partials,data) {
    var stack1;

  return "# "
    + ((stack1 = container.lambda(depth0, depth0)) != null ? stack1 : "")
    + "\n";
},"8":function(container,depth0,helpers,partials,data) {
    var stack1;

  return "#   "
    + ((stack1 = container.lambda(depth0, depth0)) != null ? stack1 : "")
    + "\n";
},"9":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "\n# Step "
    + ((stack1 = (((helper = lookupProperty(helpers,"awsStep") || alias1(depth0, "awsStep", {"start":{"line":59,"column":9},"end":{"line":59,"column":16}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"awsStep","hash":{},"data":data,"loc":{"start":{"line":59,"column":7},"end":{"line":59,"column":18}}}) : helper))) != null ? stack1 : "")
    + ", when Litestream runs this script again as its -exec child (step "
    + ((stack1 = (((helper = lookupProperty(helpers,"execStep") || alias1(depth0, "execStep", {"start":{"line":59,"column":86},"end":{"line":59,"column":94}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"execStep","hash":{},"data":data,"loc":{"start":{"line":59,"column":84},"end":{"line":59,"column":96}}}) : helper))) != null ? stack1 : "")
    + "): give the app the AWS_*\n# variables the container had, not the keys Litestream passes on to its child, then become the app.\nif [ \"${LITESTREAM_ENTRYPOINT_STAGE:-}\" = app ]; then\n  unset LITESTREAM_ENTRYPOINT_STAGE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN\n  if [ -n \"${LITESTREAM_ENTRYPOINT_APP_AWS_ACCESS_KEY_ID+set}\" ]; then\n    export AWS_ACCESS_KEY_ID=\"$LITESTREAM_ENTRYPOINT_APP_AWS_ACCESS_KEY_ID\"\n  fi\n  if [ -n \"${LITESTREAM_ENTRYPOINT_APP_AWS_SECRET_ACCESS_KEY+set}\" ]; then\n    export AWS_SECRET_ACCESS_KEY=\"$LITESTREAM_ENTRYPOINT_APP_AWS_SECRET_ACCESS_KEY\"\n  fi\n  if [ -n \"${LITESTREAM_ENTRYPOINT_APP_AWS_SESSION_TOKEN+set}\" ]; then\n    export AWS_SESSION_TOKEN=\"$LITESTREAM_ENTRYPOINT_APP_AWS_SESSION_TOKEN\"\n  fi\n  unset LITESTREAM_ENTRYPOINT_APP_AWS_ACCESS_KEY_ID LITESTREAM_ENTRYPOINT_APP_AWS_SECRET_ACCESS_KEY LITESTREAM_ENTRYPOINT_APP_AWS_SESSION_TOKEN\n  exec \"$@\"\nfi\n";
},"10":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "    # Replicate only when configured: with none of the variables below set, the app runs alone.\n    if "
    + ((stack1 = (((helper = lookupProperty(helpers,"autoTest") || alias1(depth0, "autoTest", {"start":{"line":91,"column":9},"end":{"line":91,"column":17}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"autoTest","hash":{},"data":data,"loc":{"start":{"line":91,"column":7},"end":{"line":91,"column":19}}}) : helper))) != null ? stack1 : "")
    + "; then\n      litestream_enabled=true\n    else\n      litestream_enabled=false\n      echo \"litestream-entrypoint: LITESTREAM_ENABLED=auto and none of "
    + ((stack1 = (((helper = lookupProperty(helpers,"autoNames") || alias1(depth0, "autoNames", {"start":{"line":95,"column":73},"end":{"line":95,"column":82}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"autoNames","hash":{},"data":data,"loc":{"start":{"line":95,"column":71},"end":{"line":95,"column":84}}}) : helper))) != null ? stack1 : "")
    + " is set: starting the app without restore or replication\" >&2\n    fi\n";
},"11":function(container,depth0,helpers,partials,data) {
    return "    # Nothing is read from the environment: the config is complete, so auto means true.\n    litestream_enabled=true\n";
},"12":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "if [ -z \"${LITESTREAM_RESTORE_FROM_CONFIG:-}\" ]; then LITESTREAM_RESTORE_FROM_CONFIG="
    + ((stack1 = (((helper = lookupProperty(helpers,"seedConfig") || container.strict(depth0, "seedConfig", {"start":{"line":110,"column":87},"end":{"line":110,"column":97}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"seedConfig","hash":{},"data":data,"loc":{"start":{"line":110,"column":85},"end":{"line":110,"column":99}}}) : helper))) != null ? stack1 : "")
    + "; fi\n";
},"13":function(container,depth0,helpers,partials,data) {
    return "\n# As PID 1, sh ignores SIGTERM unless trapped, and runs a trap only once its foreground command ends:\n# each start-up step runs in the background and a stop ends it (docs/entrypoint.md). A background\n# command's stdin would be /dev/null: fd 3 keeps the container's stdin (if any) for the steps.\ncommand exec 3<&0 || exec 3</dev/null\nstep_pid=\"\"\nstop_step() {\n  trap - TERM INT\n  if [ -n \"$step_pid\" ]; then\n    kill -TERM \"$step_pid\" 2>/dev/null || true\n    wait \"$step_pid\" || true\n  fi\n  echo \"litestream-entrypoint: stopped by SIG$1 before the app started\" >&2\n  exit \"$2\"\n}\ntrap 'stop_step TERM 143' TERM\ntrap 'stop_step INT 130' INT\nrun_step() {\n  \"$@\" <&3 3<&- &\n  step_pid=$!\n  step_status=0\n  wait \"$step_pid\" || step_status=$?\n  step_pid=\"\"\n  return \"$step_status\"\n}\n";
},"14":function(container,depth0,helpers,partials,data) {
    var stack1, alias1=depth0 != null ? depth0 : (container.nullContext || {}), lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "\nif [ \"$litestream_enabled\" = true ]; then\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias1,lookupProperty(lookupProperty(depth0,"required"),"length"),{"name":"if","hash":{},"fn":container.program(15, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":142,"column":0},"end":{"line":158,"column":7}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias1,lookupProperty(depth0,"settingChecks"),{"name":"if","hash":{},"fn":container.program(19, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":159,"column":0},"end":{"line":165,"column":7}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias1,lookupProperty(depth0,"restore"),{"name":"if","hash":{},"fn":container.program(20, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":166,"column":0},"end":{"line":208,"column":7}}})) != null ? stack1 : "")
    + "fi\n";
},"15":function(container,depth0,helpers,partials,data) {
    var stack1, alias1=depth0 != null ? depth0 : (container.nullContext || {}), lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "  # Credentials, read by Litestream from these variables (never from a file).\n"
    + ((stack1 = lookupProperty(helpers,"each").call(alias1,lookupProperty(depth0,"renames"),{"name":"each","hash":{},"fn":container.program(16, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":144,"column":0},"end":{"line":146,"column":9}}})) != null ? stack1 : "")
    + "  missing=\"\"\n"
    + ((stack1 = lookupProperty(helpers,"each").call(alias1,lookupProperty(depth0,"required"),{"name":"each","hash":{},"fn":container.program(17, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":148,"column":0},"end":{"line":150,"column":9}}})) != null ? stack1 : "")
    + "  if [ -n \"$missing\" ]; then\n    echo \"litestream-entrypoint: not set:$missing (set LITESTREAM_ENABLED=false to start the app without Litestream)\" >&2\n    exit 78\n  fi\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias1,lookupProperty(depth0,"restore"),{"name":"if","hash":{},"fn":container.program(18, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":155,"column":0},"end":{"line":157,"column":7}}})) != null ? stack1 : "");
},"16":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "  if [ -n \"${"
    + ((stack1 = (((helper = lookupProperty(helpers,"secretName") || alias1(depth0, "secretName", {"start":{"line":145,"column":17},"end":{"line":145,"column":27}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"secretName","hash":{},"data":data,"loc":{"start":{"line":145,"column":14},"end":{"line":145,"column":30}}}) : helper))) != null ? stack1 : "")
    + ":-}\" ]; then export "
    + ((stack1 = (((helper = lookupProperty(helpers,"name") || alias1(depth0, "name", {"start":{"line":145,"column":53},"end":{"line":145,"column":57}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"name","hash":{},"data":data,"loc":{"start":{"line":145,"column":51},"end":{"line":145,"column":59}}}) : helper))) != null ? stack1 : "")
    + "=\"$"
    + ((stack1 = (((helper = lookupProperty(helpers,"secretName") || alias1(depth0, "secretName", {"start":{"line":145,"column":64},"end":{"line":145,"column":74}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"secretName","hash":{},"data":data,"loc":{"start":{"line":145,"column":62},"end":{"line":145,"column":76}}}) : helper))) != null ? stack1 : "")
    + "\"; fi\n";
},"17":function(container,depth0,helpers,partials,data) {
    var stack1, alias1=container.lambda;

  return "  if [ -z \"${"
    + ((stack1 = alias1(depth0, depth0)) != null ? stack1 : "")
    + ":-}\" ]; then missing=\"$missing "
    + ((stack1 = alias1(depth0, depth0)) != null ? stack1 : "")
    + "\"; fi\n";
},"18":function(container,depth0,helpers,partials,data) {
    return "\n";
},"19":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=depth0 != null ? depth0 : (container.nullContext || {}), lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "  # Settings Litestream reads from the environment at start-up (written as ${NAME} in its config).\n  "
    + ((stack1 = (((helper = lookupProperty(helpers,"settingChecks") || container.strict(depth0, "settingChecks", {"start":{"line":161,"column":4},"end":{"line":161,"column":17}} ))),(typeof helper === "function" ? helper.call(alias1,{"name":"settingChecks","hash":{},"data":data,"loc":{"start":{"line":161,"column":2},"end":{"line":161,"column":19}}}) : helper))) != null ? stack1 : "")
    + "\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias1,lookupProperty(depth0,"restore"),{"name":"if","hash":{},"fn":container.program(18, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":162,"column":0},"end":{"line":164,"column":7}}})) != null ? stack1 : "");
},"20":function(container,depth0,helpers,partials,data) {
    var stack1, alias1=depth0 != null ? depth0 : (container.nullContext || {}), lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "  # 1. Restore each missing database (flags before the path; the path exactly as in the config).\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias1,lookupProperty(depth0,"separateAwsKeys"),{"name":"if","hash":{},"fn":container.program(21, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":168,"column":0},"end":{"line":175,"column":7}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias1,lookupProperty(depth0,"retry"),{"name":"if","hash":{},"fn":container.program(22, data, 0),"inverse":container.program(23, data, 0),"data":data,"loc":{"start":{"line":176,"column":0},"end":{"line":189,"column":7}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias1,lookupProperty(depth0,"seedFrom"),{"name":"if","hash":{},"fn":container.program(24, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":190,"column":0},"end":{"line":204,"column":7}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias1,lookupProperty(depth0,"restoreSteps"),{"name":"if","hash":{},"fn":container.program(27, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":205,"column":0},"end":{"line":207,"column":7}}})) != null ? stack1 : "");
},"21":function(container,depth0,helpers,partials,data) {
    return "  # Runs in the background step's own subshell: Litestream's keys as AWS_* for the restore only.\n  litestream_restore() {\n    export AWS_ACCESS_KEY_ID=\"$LITESTREAM_ACCESS_KEY_ID\" AWS_SECRET_ACCESS_KEY=\"$LITESTREAM_SECRET_ACCESS_KEY\"\n    unset AWS_SESSION_TOKEN\n    exec litestream restore \"$@\"\n  }\n";
},"22":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=container.lambda, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "  # A failed attempt is retried with back-off (restoreRetry: "
    + ((stack1 = alias2(alias1(lookupProperty(depth0,"retry"), "attempts", {"start":{"line":177,"column":63},"end":{"line":177,"column":77}} ), depth0)) != null ? stack1 : "")
    + " attempts, waits up to "
    + ((stack1 = alias2(alias1(lookupProperty(depth0,"retry"), "maxDelaySeconds", {"start":{"line":177,"column":104},"end":{"line":177,"column":125}} ), depth0)) != null ? stack1 : "")
    + "s),\n  # e.g. on a device that boots before its network is up; after the last one the app is not started.\n  restore_database() {\n    run_step "
    + ((stack1 = (((helper = lookupProperty(helpers,"restoreProgram") || alias1(depth0, "restoreProgram", {"start":{"line":180,"column":15},"end":{"line":180,"column":29}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"restoreProgram","hash":{},"data":data,"loc":{"start":{"line":180,"column":13},"end":{"line":180,"column":31}}}) : helper))) != null ? stack1 : "")
    + " -config \"$LITESTREAM_CONFIG\" -if-db-not-exists -if-replica-exists \"$1\"\n  }\n";
},"23":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "  restore_database() {\n    if ! run_step "
    + ((stack1 = (((helper = lookupProperty(helpers,"restoreProgram") || container.strict(depth0, "restoreProgram", {"start":{"line":184,"column":20},"end":{"line":184,"column":34}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"restoreProgram","hash":{},"data":data,"loc":{"start":{"line":184,"column":18},"end":{"line":184,"column":36}}}) : helper))) != null ? stack1 : "")
    + " -config \"$LITESTREAM_CONFIG\" -if-db-not-exists -if-replica-exists \"$1\"; then\n      echo \"litestream-entrypoint: could not restore $1; not starting the app, which would create an empty database in its place\" >&2\n      exit 1\n    fi\n  }\n";
},"24":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=depth0 != null ? depth0 : (container.nullContext || {}), lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "  # Environment "
    + ((stack1 = (((helper = lookupProperty(helpers,"seedFrom") || container.strict(depth0, "seedFrom", {"start":{"line":191,"column":18},"end":{"line":191,"column":26}} ))),(typeof helper === "function" ? helper.call(alias1,{"name":"seedFrom","hash":{},"data":data,"loc":{"start":{"line":191,"column":16},"end":{"line":191,"column":28}}}) : helper))) != null ? stack1 : "")
    + "'s backup, read-only: this config is only ever given to `restore`.\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias1,lookupProperty(depth0,"retry"),{"name":"if","hash":{},"fn":container.program(25, data, 0),"inverse":container.program(26, data, 0),"data":data,"loc":{"start":{"line":192,"column":0},"end":{"line":203,"column":7}}})) != null ? stack1 : "");
},"25":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "  seed_database() {\n    run_step "
    + ((stack1 = (((helper = lookupProperty(helpers,"restoreProgram") || container.strict(depth0, "restoreProgram", {"start":{"line":194,"column":15},"end":{"line":194,"column":29}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"restoreProgram","hash":{},"data":data,"loc":{"start":{"line":194,"column":13},"end":{"line":194,"column":31}}}) : helper))) != null ? stack1 : "")
    + " -config \"$LITESTREAM_RESTORE_FROM_CONFIG\" -if-db-not-exists -if-replica-exists \"$1\"\n  }\n";
},"26":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "  seed_database() {\n    if ! run_step "
    + ((stack1 = (((helper = lookupProperty(helpers,"restoreProgram") || alias1(depth0, "restoreProgram", {"start":{"line":198,"column":20},"end":{"line":198,"column":34}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"restoreProgram","hash":{},"data":data,"loc":{"start":{"line":198,"column":18},"end":{"line":198,"column":36}}}) : helper))) != null ? stack1 : "")
    + " -config \"$LITESTREAM_RESTORE_FROM_CONFIG\" -if-db-not-exists -if-replica-exists \"$1\"; then\n      echo \"litestream-entrypoint: could not seed $1 from environment "
    + ((stack1 = (((helper = lookupProperty(helpers,"seedFrom") || alias1(depth0, "seedFrom", {"start":{"line":199,"column":72},"end":{"line":199,"column":80}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"seedFrom","hash":{},"data":data,"loc":{"start":{"line":199,"column":70},"end":{"line":199,"column":82}}}) : helper))) != null ? stack1 : "")
    + "; not starting the app, which would create an empty database in its place\" >&2\n      exit 1\n    fi\n  }\n";
},"27":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "  "
    + ((stack1 = (((helper = lookupProperty(helpers,"restoreSteps") || container.strict(depth0, "restoreSteps", {"start":{"line":206,"column":4},"end":{"line":206,"column":16}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"restoreSteps","hash":{},"data":data,"loc":{"start":{"line":206,"column":2},"end":{"line":206,"column":18}}}) : helper))) != null ? stack1 : "")
    + "\n";
},"28":function(container,depth0,helpers,partials,data) {
    var stack1, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "\n# 2. The app's own start-up steps; a failing step stops the container before the app starts.\n"
    + ((stack1 = lookupProperty(helpers,"each").call(depth0 != null ? depth0 : (container.nullContext || {}),lookupProperty(depth0,"beforeApp"),{"name":"each","hash":{},"fn":container.program(29, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":214,"column":0},"end":{"line":216,"column":9}}})) != null ? stack1 : "");
},"29":function(container,depth0,helpers,partials,data) {
    var stack1;

  return "run_step "
    + ((stack1 = container.lambda(container.strict(depth0, "shell", {"start":{"line":215,"column":11},"end":{"line":215,"column":21}} ), depth0)) != null ? stack1 : "")
    + "\n";
},"30":function(container,depth0,helpers,partials,data) {
    return "exec 3<&-\n";
},"31":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "\n# Litestream reads AWS_* before LITESTREAM_*, so an app with AWS_* keys for its own S3 use would make\n# Litestream back up with the app's keys: Litestream gets its own keys as AWS_*, and the container's\n# AWS_* are kept aside for the app (step "
    + ((stack1 = (((helper = lookupProperty(helpers,"awsStep") || container.strict(depth0, "awsStep", {"start":{"line":229,"column":43},"end":{"line":229,"column":50}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"awsStep","hash":{},"data":data,"loc":{"start":{"line":229,"column":41},"end":{"line":229,"column":52}}}) : helper))) != null ? stack1 : "")
    + ").\nif [ -n \"${AWS_ACCESS_KEY_ID+set}\" ]; then export LITESTREAM_ENTRYPOINT_APP_AWS_ACCESS_KEY_ID=\"$AWS_ACCESS_KEY_ID\"; fi\nif [ -n \"${AWS_SECRET_ACCESS_KEY+set}\" ]; then export LITESTREAM_ENTRYPOINT_APP_AWS_SECRET_ACCESS_KEY=\"$AWS_SECRET_ACCESS_KEY\"; fi\nif [ -n \"${AWS_SESSION_TOKEN+set}\" ]; then export LITESTREAM_ENTRYPOINT_APP_AWS_SESSION_TOKEN=\"$AWS_SESSION_TOKEN\"; fi\nexport AWS_ACCESS_KEY_ID=\"$LITESTREAM_ACCESS_KEY_ID\" AWS_SECRET_ACCESS_KEY=\"$LITESTREAM_SECRET_ACCESS_KEY\"\nunset AWS_SESSION_TOKEN\n";
},"32":function(container,depth0,helpers,partials,data) {
    return "case \"$0\" in\n  *\"'\"*)\n    echo \"litestream-entrypoint: its own path must not contain a single quote: $0\" >&2\n    exit 64\n    ;;\nesac\nexport LITESTREAM_ENTRYPOINT_STAGE=app\nexec litestream replicate -config \"$LITESTREAM_CONFIG\" -exec \"/bin/sh '$0' $app_exec\"\n";
},"33":function(container,depth0,helpers,partials,data) {
    return "exec litestream replicate -config \"$LITESTREAM_CONFIG\" -exec \"$app_exec\"\n";
},"compiler":[8,">= 4.3.0"],"main":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "#!/bin/sh\n"
    + ((stack1 = (((helper = lookupProperty(helpers,"header") || alias1(depth0, "header", {"start":{"line":2,"column":2},"end":{"line":2,"column":8}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"header","hash":{},"data":data,"loc":{"start":{"line":2,"column":0},"end":{"line":2,"column":10}}}) : helper))) != null ? stack1 : "")
    + "\n#\n# Starts the app under Litestream, so that the app and its replication live and die together:\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"restore"),{"name":"if","hash":{},"fn":container.program(0, data, 0),"inverse":container.program(2, data, 0),"data":data,"loc":{"start":{"line":5,"column":0},"end":{"line":16,"column":7}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(lookupProperty(depth0,"beforeApp"),"length"),{"name":"if","hash":{},"fn":container.program(3, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":17,"column":0},"end":{"line":24,"column":7}}})) != null ? stack1 : "")
    + "#   "
    + ((stack1 = (((helper = lookupProperty(helpers,"execStep") || alias1(depth0, "execStep", {"start":{"line":25,"column":6},"end":{"line":25,"column":14}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"execStep","hash":{},"data":data,"loc":{"start":{"line":25,"column":4},"end":{"line":25,"column":16}}}) : helper))) != null ? stack1 : "")
    + ". `litestream replicate -exec` runs the app as Litestream's child: Litestream forwards SIGTERM\n#      and SIGINT to it, waits for it to exit, makes its final sync, and exits (exit status 0 stays 0,\n#      any other becomes 1).\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"separateAwsKeys"),{"name":"if","hash":{},"fn":container.program(5, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":28,"column":0},"end":{"line":31,"column":7}}})) != null ? stack1 : "")
    + "#\n# Stopping: allow "
    + ((stack1 = (((helper = lookupProperty(helpers,"graceSeconds") || alias1(depth0, "graceSeconds", {"start":{"line":33,"column":20},"end":{"line":33,"column":32}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"graceSeconds","hash":{},"data":data,"loc":{"start":{"line":33,"column":18},"end":{"line":33,"column":34}}}) : helper))) != null ? stack1 : "")
    + "s between SIGTERM and SIGKILL, set where the container runs:\n#   docker run --stop-timeout "
    + ((stack1 = (((helper = lookupProperty(helpers,"graceSeconds") || alias1(depth0, "graceSeconds", {"start":{"line":34,"column":32},"end":{"line":34,"column":44}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"graceSeconds","hash":{},"data":data,"loc":{"start":{"line":34,"column":30},"end":{"line":34,"column":46}}}) : helper))) != null ? stack1 : "")
    + "; Compose stop_grace_period: "
    + ((stack1 = (((helper = lookupProperty(helpers,"graceSeconds") || alias1(depth0, "graceSeconds", {"start":{"line":34,"column":77},"end":{"line":34,"column":89}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"graceSeconds","hash":{},"data":data,"loc":{"start":{"line":34,"column":75},"end":{"line":34,"column":91}}}) : helper))) != null ? stack1 : "")
    + "s; Kamal (2.12+) stop_timeout: "
    + ((stack1 = (((helper = lookupProperty(helpers,"graceSeconds") || alias1(depth0, "graceSeconds", {"start":{"line":34,"column":124},"end":{"line":34,"column":136}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"graceSeconds","hash":{},"data":data,"loc":{"start":{"line":34,"column":122},"end":{"line":34,"column":138}}}) : helper))) != null ? stack1 : "")
    + ";\n#   fly.toml kill_timeout = "
    + ((stack1 = (((helper = lookupProperty(helpers,"graceSeconds") || alias1(depth0, "graceSeconds", {"start":{"line":35,"column":30},"end":{"line":35,"column":42}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"graceSeconds","hash":{},"data":data,"loc":{"start":{"line":35,"column":28},"end":{"line":35,"column":44}}}) : helper))) != null ? stack1 : "")
    + ".\n# Why: "
    + ((stack1 = (((helper = lookupProperty(helpers,"graceReason") || alias1(depth0, "graceReason", {"start":{"line":36,"column":9},"end":{"line":36,"column":20}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"graceReason","hash":{},"data":data,"loc":{"start":{"line":36,"column":7},"end":{"line":36,"column":22}}}) : helper))) != null ? stack1 : "")
    + ".\n# A stop during the restore or a start-up step ends that step and the container at once.\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(lookupProperty(depth0,"oneWriter"),"length"),{"name":"if","hash":{},"fn":container.program(6, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":38,"column":0},"end":{"line":43,"column":7}}})) != null ? stack1 : "")
    + "#\n# Environment:\n"
    + ((stack1 = lookupProperty(helpers,"each").call(alias2,lookupProperty(depth0,"environmentDocs"),{"name":"each","hash":{},"fn":container.program(8, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":46,"column":0},"end":{"line":48,"column":9}}})) != null ? stack1 : "")
    + "#\n# Arguments (e.g. `docker run --rm -it IMAGE sh`) run that one-off command instead of the app,\n# without restore or replication: a second replicating copy of the app would be a second writer on\n# the same backup, which loses data without any error.\nset -eu\n\n# The app's command as Litestream's -exec reads it: split into words, no shell involved.\napp_exec="
    + ((stack1 = (((helper = lookupProperty(helpers,"appExec") || alias1(depth0, "appExec", {"start":{"line":56,"column":11},"end":{"line":56,"column":18}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"appExec","hash":{},"data":data,"loc":{"start":{"line":56,"column":9},"end":{"line":56,"column":20}}}) : helper))) != null ? stack1 : "")
    + "\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"separateAwsKeys"),{"name":"if","hash":{},"fn":container.program(9, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":57,"column":0},"end":{"line":75,"column":7}}})) != null ? stack1 : "")
    + "\nif [ \"$#\" -gt 0 ]; then\n  echo \"litestream-entrypoint: running the one-off command \\\"$1\\\" without Litestream\" >&2\n  exec \"$@\"\nfi\n\ncase \"${LITESTREAM_ENABLED:-true}\" in\n  true | True | TRUE | 1 | yes | on) litestream_enabled=true ;;\n  false | False | FALSE | 0 | no | off)\n    litestream_enabled=false\n    echo \"litestream-entrypoint: LITESTREAM_ENABLED=$LITESTREAM_ENABLED: starting the app without Litestream\" >&2\n    ;;\n  auto | Auto | AUTO)\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"autoTest"),{"name":"if","hash":{},"fn":container.program(10, data, 0),"inverse":container.program(11, data, 0),"data":data,"loc":{"start":{"line":89,"column":0},"end":{"line":100,"column":7}}})) != null ? stack1 : "")
    + "    ;;\n  *)\n    echo \"litestream-entrypoint: LITESTREAM_ENABLED must be true, false or auto, not \\\"$LITESTREAM_ENABLED\\\"\" >&2\n    exit 64\n    ;;\nesac\n\nif [ -z \"${LITESTREAM_CONFIG:-}\" ]; then LITESTREAM_CONFIG="
    + ((stack1 = (((helper = lookupProperty(helpers,"defaultConfig") || alias1(depth0, "defaultConfig", {"start":{"line":108,"column":61},"end":{"line":108,"column":74}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"defaultConfig","hash":{},"data":data,"loc":{"start":{"line":108,"column":59},"end":{"line":108,"column":76}}}) : helper))) != null ? stack1 : "")
    + "; fi\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"seedFrom"),{"name":"if","hash":{},"fn":container.program(12, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":109,"column":0},"end":{"line":111,"column":7}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"startupSteps"),{"name":"if","hash":{},"fn":container.program(13, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":112,"column":0},"end":{"line":138,"column":7}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"litestreamSetup"),{"name":"if","hash":{},"fn":container.program(14, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":139,"column":0},"end":{"line":210,"column":7}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(lookupProperty(depth0,"beforeApp"),"length"),{"name":"if","hash":{},"fn":container.program(28, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":211,"column":0},"end":{"line":217,"column":7}}})) != null ? stack1 : "")
    + "\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"startupSteps"),{"name":"if","hash":{},"fn":container.program(30, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":219,"column":0},"end":{"line":221,"column":7}}})) != null ? stack1 : "")
    + "if [ \"$litestream_enabled\" = false ]; then\n  exec "
    + ((stack1 = (((helper = lookupProperty(helpers,"appShell") || alias1(depth0, "appShell", {"start":{"line":223,"column":9},"end":{"line":223,"column":17}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"appShell","hash":{},"data":data,"loc":{"start":{"line":223,"column":7},"end":{"line":223,"column":19}}}) : helper))) != null ? stack1 : "")
    + "\nfi\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"separateAwsKeys"),{"name":"if","hash":{},"fn":container.program(31, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":225,"column":0},"end":{"line":235,"column":7}}})) != null ? stack1 : "")
    + "\n# "
    + ((stack1 = (((helper = lookupProperty(helpers,"execStep") || alias1(depth0, "execStep", {"start":{"line":237,"column":4},"end":{"line":237,"column":12}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"execStep","hash":{},"data":data,"loc":{"start":{"line":237,"column":2},"end":{"line":237,"column":14}}}) : helper))) != null ? stack1 : "")
    + ". Replicate, with the app as Litestream's child.\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"separateAwsKeys"),{"name":"if","hash":{},"fn":container.program(32, data, 0),"inverse":container.program(33, data, 0),"data":data,"loc":{"start":{"line":238,"column":0},"end":{"line":249,"column":7}}})) != null ? stack1 : "");
},"useData":true},
  "install-litestream.sh.hbs": {"0":function(container,depth0,helpers,partials,data) {
    var stack1, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return ((stack1 = lookupProperty(helpers,"if").call(depth0 != null ? depth0 : (container.nullContext || {}),lookupProperty(depth0,"verifyDeb"),{"name":"if","hash":{},"fn":container.program(1, data, 0),"inverse":container.program(2, data, 0),"data":data,"loc":{"start":{"line":8,"column":0},"end":{"line":13,"column":7}}})) != null ? stack1 : "");
},"1":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "# The .deb is checked with sha256sum -c against the SHA-256 from "
    + ((stack1 = (((helper = lookupProperty(helpers,"debSha256Source") || container.strict(depth0, "debSha256Source", {"start":{"line":9,"column":67},"end":{"line":9,"column":82}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"debSha256Source","hash":{},"data":data,"loc":{"start":{"line":9,"column":65},"end":{"line":9,"column":84}}}) : helper))) != null ? stack1 : "")
    + ".\n";
},"2":function(container,depth0,helpers,partials,data) {
    return "# The .deb is NOT verified (litestream.verify: false): set LITESTREAM_DEB_SHA256 to its SHA-256 from\n# the release's checksums.txt to have it checked, or give litestream.checksum and generate again.\n";
},"3":function(container,depth0,helpers,partials,data) {
    return " from its release .deb (amd64 or arm64)";
},"4":function(container,depth0,helpers,partials,data) {
    return " (expected at the path in LITESTREAM below)";
},"5":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return " and adds "
    + ((stack1 = (((helper = lookupProperty(helpers,"appUser") || alias1(depth0, "appUser", {"start":{"line":17,"column":67},"end":{"line":17,"column":74}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"appUser","hash":{},"data":data,"loc":{"start":{"line":17,"column":65},"end":{"line":17,"column":76}}}) : helper))) != null ? stack1 : "")
    + " to the group "
    + ((stack1 = (((helper = lookupProperty(helpers,"group") || alias1(depth0, "group", {"start":{"line":17,"column":92},"end":{"line":17,"column":97}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"group","hash":{},"data":data,"loc":{"start":{"line":17,"column":90},"end":{"line":17,"column":99}}}) : helper))) != null ? stack1 : "");
},"6":function(container,depth0,helpers,partials,data) {
    return ", the credentials file (0600)";
},"7":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "#    the oneshot unit "
    + ((stack1 = (((helper = lookupProperty(helpers,"beforeAppUnit") || container.strict(depth0, "beforeAppUnit", {"start":{"line":23,"column":24},"end":{"line":23,"column":37}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"beforeAppUnit","hash":{},"data":data,"loc":{"start":{"line":23,"column":22},"end":{"line":23,"column":39}}}) : helper))) != null ? stack1 : "")
    + " (the beforeApp steps),\n";
},"8":function(container,depth0,helpers,partials,data) {
    return " once the credentials are filled in";
},"9":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "ENV_FILE="
    + ((stack1 = (((helper = lookupProperty(helpers,"envPath") || container.strict(depth0, "envPath", {"start":{"line":35,"column":11},"end":{"line":35,"column":18}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"envPath","hash":{},"data":data,"loc":{"start":{"line":35,"column":9},"end":{"line":35,"column":20}}}) : helper))) != null ? stack1 : "")
    + "\n";
},"10":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "else\n  arch=$(dpkg --print-architecture)\n  case \"$arch\" in\n    amd64) url="
    + ((stack1 = (((helper = lookupProperty(helpers,"debUrlAmd64") || alias1(depth0, "debUrlAmd64", {"start":{"line":55,"column":17},"end":{"line":55,"column":28}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"debUrlAmd64","hash":{},"data":data,"loc":{"start":{"line":55,"column":15},"end":{"line":55,"column":30}}}) : helper))) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"verifyDeb"),{"name":"if","hash":{},"fn":container.program(11, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":55,"column":30},"end":{"line":55,"column":80}}})) != null ? stack1 : "")
    + " ;;\n    arm64) url="
    + ((stack1 = (((helper = lookupProperty(helpers,"debUrlArm64") || alias1(depth0, "debUrlArm64", {"start":{"line":56,"column":17},"end":{"line":56,"column":28}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"debUrlArm64","hash":{},"data":data,"loc":{"start":{"line":56,"column":15},"end":{"line":56,"column":30}}}) : helper))) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"verifyDeb"),{"name":"if","hash":{},"fn":container.program(12, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":56,"column":30},"end":{"line":56,"column":80}}})) != null ? stack1 : "")
    + " ;;\n    *) fail \"Litestream $RELEASE has no .deb for $arch here; install it as $LITESTREAM yourself\" ;;\n  esac\n  tmp=$(mktemp -d)\n  trap 'rm -rf \"$tmp\"' EXIT\n  echo \"Downloading $url\"\n  if command -v curl >/dev/null 2>&1; then\n    curl -fsSL --retry 3 -o \"$tmp/litestream.deb\" \"$url\"\n  elif command -v wget >/dev/null 2>&1; then\n    wget -q -O \"$tmp/litestream.deb\" \"$url\"\n  else\n    fail \"curl or wget is needed to download $url\"\n  fi\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"verifyDeb"),{"name":"if","hash":{},"fn":container.program(13, data, 0),"inverse":container.program(14, data, 0),"data":data,"loc":{"start":{"line":69,"column":0},"end":{"line":76,"column":7}}})) != null ? stack1 : "")
    + "  # The .deb also ships /etc/litestream.yml and a unit in /usr/lib/systemd/system; neither is used.\n  dpkg --force-confdef --force-confold -i \"$tmp/litestream.deb\"\n  installed=$(\"$LITESTREAM\" version)\n  [ \"$installed\" = \"v$RELEASE\" ] || [ \"$installed\" = \"$RELEASE\" ] || fail \"$LITESTREAM reports $installed, not $RELEASE\"\n";
},"11":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return " sha256="
    + ((stack1 = (((helper = lookupProperty(helpers,"debSha256Amd64") || container.strict(depth0, "debSha256Amd64", {"start":{"line":55,"column":57},"end":{"line":55,"column":71}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"debSha256Amd64","hash":{},"data":data,"loc":{"start":{"line":55,"column":55},"end":{"line":55,"column":73}}}) : helper))) != null ? stack1 : "");
},"12":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return " sha256="
    + ((stack1 = (((helper = lookupProperty(helpers,"debSha256Arm64") || container.strict(depth0, "debSha256Arm64", {"start":{"line":56,"column":57},"end":{"line":56,"column":71}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"debSha256Arm64","hash":{},"data":data,"loc":{"start":{"line":56,"column":55},"end":{"line":56,"column":73}}}) : helper))) != null ? stack1 : "");
},"13":function(container,depth0,helpers,partials,data) {
    return "  [ -n \"$sha256\" ] || fail \"no SHA-256 is known for the $arch .deb of Litestream $RELEASE: add it to litestream.checksum and generate again\"\n  echo \"$sha256  $tmp/litestream.deb\" | sha256sum -c - >/dev/null || fail \"$url does not match its SHA-256 $sha256\"\n";
},"14":function(container,depth0,helpers,partials,data) {
    return "  if [ -n \"${LITESTREAM_DEB_SHA256:-}\" ]; then\n    echo \"$LITESTREAM_DEB_SHA256  $tmp/litestream.deb\" | sha256sum -c - >/dev/null || fail \"$url does not match LITESTREAM_DEB_SHA256\"\n  fi\n";
},"15":function(container,depth0,helpers,partials,data) {
    return "elif [ -x \"$LITESTREAM\" ]; then\n  fail \"$LITESTREAM reports ${installed:-no version}, not $RELEASE: install Litestream $RELEASE there\"\nelse\n  fail \"Litestream $RELEASE is expected at $LITESTREAM: install it there first\"\n";
},"16":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "# "
    + ((stack1 = (((helper = lookupProperty(helpers,"appUser") || alias1(depth0, "appUser", {"start":{"line":97,"column":4},"end":{"line":97,"column":11}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"appUser","hash":{},"data":data,"loc":{"start":{"line":97,"column":2},"end":{"line":97,"column":13}}}) : helper))) != null ? stack1 : "")
    + " gets the group from its next login or restart.\nusermod -a -G "
    + ((stack1 = (((helper = lookupProperty(helpers,"group") || alias1(depth0, "group", {"start":{"line":98,"column":16},"end":{"line":98,"column":21}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"group","hash":{},"data":data,"loc":{"start":{"line":98,"column":14},"end":{"line":98,"column":23}}}) : helper))) != null ? stack1 : "")
    + " "
    + ((stack1 = (((helper = lookupProperty(helpers,"appUser") || alias1(depth0, "appUser", {"start":{"line":98,"column":26},"end":{"line":98,"column":33}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"appUser","hash":{},"data":data,"loc":{"start":{"line":98,"column":24},"end":{"line":98,"column":35}}}) : helper))) != null ? stack1 : "")
    + "\n";
},"17":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return ((stack1 = (((helper = lookupProperty(helpers,"shareDatabases") || container.strict(depth0, "shareDatabases", {"start":{"line":123,"column":2},"end":{"line":123,"column":16}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"shareDatabases","hash":{},"data":data,"loc":{"start":{"line":123,"column":0},"end":{"line":123,"column":18}}}) : helper))) != null ? stack1 : "")
    + "\n";
},"18":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return ((stack1 = (((helper = lookupProperty(helpers,"replicaDirs") || container.strict(depth0, "replicaDirs", {"start":{"line":126,"column":2},"end":{"line":126,"column":13}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"replicaDirs","hash":{},"data":data,"loc":{"start":{"line":126,"column":0},"end":{"line":126,"column":15}}}) : helper))) != null ? stack1 : "")
    + "\n";
},"19":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "# The SFTP private key is read by "
    + ((stack1 = (((helper = lookupProperty(helpers,"user") || alias1(depth0, "user", {"start":{"line":129,"column":36},"end":{"line":129,"column":40}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"user","hash":{},"data":data,"loc":{"start":{"line":129,"column":34},"end":{"line":129,"column":42}}}) : helper))) != null ? stack1 : "")
    + ", inside the unit's sandbox (docs/systemd.md).\ncheck_key_readable() {\n  runuser -u "
    + ((stack1 = (((helper = lookupProperty(helpers,"user") || alias1(depth0, "user", {"start":{"line":131,"column":15},"end":{"line":131,"column":19}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"user","hash":{},"data":data,"loc":{"start":{"line":131,"column":13},"end":{"line":131,"column":21}}}) : helper))) != null ? stack1 : "")
    + " -- test -r \"$1\" ||\n    printf 'install-"
    + ((stack1 = (((helper = lookupProperty(helpers,"serviceName") || alias1(depth0, "serviceName", {"start":{"line":132,"column":22},"end":{"line":132,"column":33}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"serviceName","hash":{},"data":data,"loc":{"start":{"line":132,"column":20},"end":{"line":132,"column":35}}}) : helper))) != null ? stack1 : "")
    + ": warning: "
    + ((stack1 = (((helper = lookupProperty(helpers,"user") || alias1(depth0, "user", {"start":{"line":132,"column":48},"end":{"line":132,"column":52}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"user","hash":{},"data":data,"loc":{"start":{"line":132,"column":46},"end":{"line":132,"column":54}}}) : helper))) != null ? stack1 : "")
    + " cannot read the SFTP key %s: chown "
    + ((stack1 = (((helper = lookupProperty(helpers,"user") || alias1(depth0, "user", {"start":{"line":132,"column":92},"end":{"line":132,"column":96}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"user","hash":{},"data":data,"loc":{"start":{"line":132,"column":90},"end":{"line":132,"column":98}}}) : helper))) != null ? stack1 : "")
    + " it (mode 0600) or copy it to "
    + ((stack1 = (((helper = lookupProperty(helpers,"configDir") || alias1(depth0, "configDir", {"start":{"line":132,"column":130},"end":{"line":132,"column":139}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"configDir","hash":{},"data":data,"loc":{"start":{"line":132,"column":128},"end":{"line":132,"column":141}}}) : helper))) != null ? stack1 : "")
    + "/, or replication fails\\n' \"$1\" >&2\n}\n"
    + ((stack1 = lookupProperty(helpers,"each").call(alias2,lookupProperty(depth0,"sftpKeys"),{"name":"each","hash":{},"fn":container.program(20, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":134,"column":0},"end":{"line":136,"column":9}}})) != null ? stack1 : "");
},"20":function(container,depth0,helpers,partials,data) {
    var stack1;

  return "check_key_readable "
    + ((stack1 = container.lambda(depth0, depth0)) != null ? stack1 : "")
    + "\n";
},"21":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "install_file "
    + ((stack1 = (((helper = lookupProperty(helpers,"mode") || alias1(depth0, "mode", {"start":{"line":149,"column":15},"end":{"line":149,"column":19}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"mode","hash":{},"data":data,"loc":{"start":{"line":149,"column":13},"end":{"line":149,"column":21}}}) : helper))) != null ? stack1 : "")
    + " "
    + ((stack1 = (((helper = lookupProperty(helpers,"group") || alias1(depth0, "group", {"start":{"line":149,"column":24},"end":{"line":149,"column":29}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"group","hash":{},"data":data,"loc":{"start":{"line":149,"column":22},"end":{"line":149,"column":31}}}) : helper))) != null ? stack1 : "")
    + " "
    + ((stack1 = (((helper = lookupProperty(helpers,"from") || alias1(depth0, "from", {"start":{"line":149,"column":34},"end":{"line":149,"column":38}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"from","hash":{},"data":data,"loc":{"start":{"line":149,"column":32},"end":{"line":149,"column":40}}}) : helper))) != null ? stack1 : "")
    + " "
    + ((stack1 = (((helper = lookupProperty(helpers,"to") || alias1(depth0, "to", {"start":{"line":149,"column":43},"end":{"line":149,"column":45}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"to","hash":{},"data":data,"loc":{"start":{"line":149,"column":41},"end":{"line":149,"column":47}}}) : helper))) != null ? stack1 : "")
    + "\n";
},"22":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=depth0 != null ? depth0 : (container.nullContext || {}), lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "if [ ! -e \"$ENV_FILE\" ]; then\n  install -m 0600 -o root -g root "
    + ((stack1 = (((helper = lookupProperty(helpers,"envFile") || container.strict(depth0, "envFile", {"start":{"line":153,"column":36},"end":{"line":153,"column":43}} ))),(typeof helper === "function" ? helper.call(alias1,{"name":"envFile","hash":{},"data":data,"loc":{"start":{"line":153,"column":34},"end":{"line":153,"column":45}}}) : helper))) != null ? stack1 : "")
    + " \"$ENV_FILE\"\n  echo \"Created $ENV_FILE from its template\"\nfi\nchown root:root \"$ENV_FILE\"\nchmod 0600 \"$ENV_FILE\"\nmissing=\"\"\n"
    + ((stack1 = lookupProperty(helpers,"each").call(alias1,lookupProperty(depth0,"envNames"),{"name":"each","hash":{},"fn":container.program(23, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":159,"column":0},"end":{"line":161,"column":9}}})) != null ? stack1 : "");
},"23":function(container,depth0,helpers,partials,data) {
    var stack1, alias1=container.lambda;

  return "grep -Eq '^"
    + ((stack1 = alias1(depth0, depth0)) != null ? stack1 : "")
    + "=.+' \"$ENV_FILE\" || missing=\"$missing "
    + ((stack1 = alias1(depth0, depth0)) != null ? stack1 : "")
    + "\"\n";
},"24":function(container,depth0,helpers,partials,data) {
    return "  if [ -n \"$missing\" ]; then\n    echo \"Before the first boot, set$missing in $ENV_FILE\" >&2\n  fi\n";
},"25":function(container,depth0,helpers,partials,data) {
    return "if [ -n \"$missing\" ]; then\n  echo \"$UNIT is enabled but not started: set$missing in $ENV_FILE, then run this script again\" >&2\n  exit 2\nfi\n";
},"26":function(container,depth0,helpers,partials,data) {
    var stack1, alias1=container.lambda;

  return "systemctl cat "
    + ((stack1 = alias1(depth0, depth0)) != null ? stack1 : "")
    + " >/dev/null 2>&1 ||\n  printf 'Note: %s does not exist yet; its drop-in applies once it does\\n' "
    + ((stack1 = alias1(depth0, depth0)) != null ? stack1 : "")
    + "\n";
},"27":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return ((stack1 = (((helper = lookupProperty(helpers,"missingNotes") || container.strict(depth0, "missingNotes", {"start":{"line":195,"column":2},"end":{"line":195,"column":14}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"missingNotes","hash":{},"data":data,"loc":{"start":{"line":195,"column":0},"end":{"line":195,"column":16}}}) : helper))) != null ? stack1 : "")
    + "\n";
},"compiler":[8,">= 4.3.0"],"main":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "#!/bin/sh\n"
    + ((stack1 = (((helper = lookupProperty(helpers,"header") || alias1(depth0, "header", {"start":{"line":2,"column":2},"end":{"line":2,"column":8}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"header","hash":{},"data":data,"loc":{"start":{"line":2,"column":0},"end":{"line":2,"column":10}}}) : helper))) != null ? stack1 : "")
    + "\n#\n# Run it as root on the server, from a checkout of the project:\n#   sudo sh "
    + ((stack1 = (((helper = lookupProperty(helpers,"scriptPath") || alias1(depth0, "scriptPath", {"start":{"line":5,"column":14},"end":{"line":5,"column":24}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"scriptPath","hash":{},"data":data,"loc":{"start":{"line":5,"column":12},"end":{"line":5,"column":26}}}) : helper))) != null ? stack1 : "")
    + "\n# It is safe to run again: it changes only what differs and never overwrites the credentials file.\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"installDeb"),{"name":"if","hash":{},"fn":container.program(0, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":7,"column":0},"end":{"line":14,"column":7}}})) != null ? stack1 : "")
    + "#\n# 1. installs Litestream "
    + ((stack1 = (((helper = lookupProperty(helpers,"release") || alias1(depth0, "release", {"start":{"line":16,"column":27},"end":{"line":16,"column":34}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"release","hash":{},"data":data,"loc":{"start":{"line":16,"column":25},"end":{"line":16,"column":36}}}) : helper))) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"installDeb"),{"name":"if","hash":{},"fn":container.program(3, data, 0),"inverse":container.program(4, data, 0),"data":data,"loc":{"start":{"line":16,"column":36},"end":{"line":16,"column":151}}})) != null ? stack1 : "")
    + ";\n# 2. creates the system user "
    + ((stack1 = (((helper = lookupProperty(helpers,"user") || alias1(depth0, "user", {"start":{"line":17,"column":31},"end":{"line":17,"column":35}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"user","hash":{},"data":data,"loc":{"start":{"line":17,"column":29},"end":{"line":17,"column":37}}}) : helper))) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"hasAppUser"),{"name":"if","hash":{},"fn":container.program(5, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":17,"column":37},"end":{"line":17,"column":106}}})) != null ? stack1 : "")
    + ";\n# 3. shares each database directory between the app and Litestream: group "
    + ((stack1 = (((helper = lookupProperty(helpers,"group") || alias1(depth0, "group", {"start":{"line":18,"column":76},"end":{"line":18,"column":81}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"group","hash":{},"data":data,"loc":{"start":{"line":18,"column":74},"end":{"line":18,"column":83}}}) : helper))) != null ? stack1 : "")
    + ", setgid so new\n#    files keep that group, mode 2770; database files 0660 (read and write for both, nothing for\n#    others: with 0644, Litestream could not write them);\n# 4. installs the config"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"envFile"),{"name":"if","hash":{},"fn":container.program(6, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":21,"column":24},"end":{"line":21,"column":75}}})) != null ? stack1 : "")
    + ", the restore script, the unit "
    + ((stack1 = (((helper = lookupProperty(helpers,"unitName") || alias1(depth0, "unitName", {"start":{"line":21,"column":108},"end":{"line":21,"column":116}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"unitName","hash":{},"data":data,"loc":{"start":{"line":21,"column":106},"end":{"line":21,"column":118}}}) : helper))) != null ? stack1 : "")
    + ",\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"beforeAppUnit"),{"name":"if","hash":{},"fn":container.program(7, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":22,"column":0},"end":{"line":24,"column":7}}})) != null ? stack1 : "")
    + "#    and a drop-in that starts each app unit after it: "
    + ((stack1 = (((helper = lookupProperty(helpers,"appUnits") || alias1(depth0, "appUnits", {"start":{"line":25,"column":57},"end":{"line":25,"column":65}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"appUnits","hash":{},"data":data,"loc":{"start":{"line":25,"column":55},"end":{"line":25,"column":67}}}) : helper))) != null ? stack1 : "")
    + ";\n# 5. enables "
    + ((stack1 = (((helper = lookupProperty(helpers,"unitName") || alias1(depth0, "unitName", {"start":{"line":26,"column":15},"end":{"line":26,"column":23}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"unitName","hash":{},"data":data,"loc":{"start":{"line":26,"column":13},"end":{"line":26,"column":25}}}) : helper))) != null ? stack1 : "")
    + " and starts it"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"envFile"),{"name":"if","hash":{},"fn":container.program(8, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":26,"column":39},"end":{"line":26,"column":96}}})) != null ? stack1 : "")
    + "; in an image build\n#    (no running systemd) it only enables it, to start at boot.\nset -eu\n\nRELEASE="
    + ((stack1 = (((helper = lookupProperty(helpers,"release") || alias1(depth0, "release", {"start":{"line":30,"column":10},"end":{"line":30,"column":17}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"release","hash":{},"data":data,"loc":{"start":{"line":30,"column":8},"end":{"line":30,"column":19}}}) : helper))) != null ? stack1 : "")
    + "\nLITESTREAM="
    + ((stack1 = (((helper = lookupProperty(helpers,"binary") || alias1(depth0, "binary", {"start":{"line":31,"column":13},"end":{"line":31,"column":19}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"binary","hash":{},"data":data,"loc":{"start":{"line":31,"column":11},"end":{"line":31,"column":21}}}) : helper))) != null ? stack1 : "")
    + "\nUNIT="
    + ((stack1 = (((helper = lookupProperty(helpers,"unitName") || alias1(depth0, "unitName", {"start":{"line":32,"column":7},"end":{"line":32,"column":15}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"unitName","hash":{},"data":data,"loc":{"start":{"line":32,"column":5},"end":{"line":32,"column":17}}}) : helper))) != null ? stack1 : "")
    + "\nCONFIG="
    + ((stack1 = (((helper = lookupProperty(helpers,"configPath") || alias1(depth0, "configPath", {"start":{"line":33,"column":9},"end":{"line":33,"column":19}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"configPath","hash":{},"data":data,"loc":{"start":{"line":33,"column":7},"end":{"line":33,"column":21}}}) : helper))) != null ? stack1 : "")
    + "\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"envFile"),{"name":"if","hash":{},"fn":container.program(9, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":34,"column":0},"end":{"line":36,"column":7}}})) != null ? stack1 : "")
    + "here=$(CDPATH='' cd -- \"$(dirname -- \"$0\")\" && pwd)\n\nfail() {\n  echo \"install-"
    + ((stack1 = (((helper = lookupProperty(helpers,"serviceName") || alias1(depth0, "serviceName", {"start":{"line":40,"column":18},"end":{"line":40,"column":29}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"serviceName","hash":{},"data":data,"loc":{"start":{"line":40,"column":16},"end":{"line":40,"column":31}}}) : helper))) != null ? stack1 : "")
    + ": $*\" >&2\n  exit 1\n}\n\n[ \"$(id -u)\" -eq 0 ] || fail \"run it as root: sudo sh $0\"\ncommand -v systemctl >/dev/null 2>&1 || fail \"systemctl not found: this host does not run systemd\"\n\n# 1. Litestream\ninstalled=$(\"$LITESTREAM\" version 2>/dev/null || true)\nif [ \"$installed\" = \"v$RELEASE\" ] || [ \"$installed\" = \"$RELEASE\" ]; then\n  echo \"Litestream $RELEASE is installed\"\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"installDeb"),{"name":"if","hash":{},"fn":container.program(10, data, 0),"inverse":container.program(15, data, 0),"data":data,"loc":{"start":{"line":51,"column":0},"end":{"line":86,"column":7}}})) != null ? stack1 : "")
    + "fi\n\n# 2. The service user\nif ! getent group "
    + ((stack1 = (((helper = lookupProperty(helpers,"group") || alias1(depth0, "group", {"start":{"line":90,"column":20},"end":{"line":90,"column":25}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"group","hash":{},"data":data,"loc":{"start":{"line":90,"column":18},"end":{"line":90,"column":27}}}) : helper))) != null ? stack1 : "")
    + " >/dev/null; then\n  groupadd --system "
    + ((stack1 = (((helper = lookupProperty(helpers,"group") || alias1(depth0, "group", {"start":{"line":91,"column":22},"end":{"line":91,"column":27}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"group","hash":{},"data":data,"loc":{"start":{"line":91,"column":20},"end":{"line":91,"column":29}}}) : helper))) != null ? stack1 : "")
    + "\nfi\nif ! id -u "
    + ((stack1 = (((helper = lookupProperty(helpers,"user") || alias1(depth0, "user", {"start":{"line":93,"column":13},"end":{"line":93,"column":17}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"user","hash":{},"data":data,"loc":{"start":{"line":93,"column":11},"end":{"line":93,"column":19}}}) : helper))) != null ? stack1 : "")
    + " >/dev/null 2>&1; then\n  useradd --system --gid "
    + ((stack1 = (((helper = lookupProperty(helpers,"group") || alias1(depth0, "group", {"start":{"line":94,"column":27},"end":{"line":94,"column":32}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"group","hash":{},"data":data,"loc":{"start":{"line":94,"column":25},"end":{"line":94,"column":34}}}) : helper))) != null ? stack1 : "")
    + " --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "
    + ((stack1 = (((helper = lookupProperty(helpers,"user") || alias1(depth0, "user", {"start":{"line":94,"column":104},"end":{"line":94,"column":108}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"user","hash":{},"data":data,"loc":{"start":{"line":94,"column":102},"end":{"line":94,"column":110}}}) : helper))) != null ? stack1 : "")
    + "\nfi\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"hasAppUser"),{"name":"if","hash":{},"fn":container.program(16, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":96,"column":0},"end":{"line":99,"column":7}}})) != null ? stack1 : "")
    + "\n# 3. Database directories shared by the app and Litestream\nshare_database() {\n  mkdir -p \"$1\"\n  chgrp "
    + ((stack1 = (((helper = lookupProperty(helpers,"group") || alias1(depth0, "group", {"start":{"line":104,"column":10},"end":{"line":104,"column":15}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"group","hash":{},"data":data,"loc":{"start":{"line":104,"column":8},"end":{"line":104,"column":17}}}) : helper))) != null ? stack1 : "")
    + " \"$1\"\n  chmod 2770 \"$1\"\n  for file in \"$1/$2\" \"$1/$2-wal\" \"$1/$2-shm\"; do\n    if [ -e \"$file\" ]; then\n      chgrp "
    + ((stack1 = (((helper = lookupProperty(helpers,"group") || alias1(depth0, "group", {"start":{"line":108,"column":14},"end":{"line":108,"column":19}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"group","hash":{},"data":data,"loc":{"start":{"line":108,"column":12},"end":{"line":108,"column":21}}}) : helper))) != null ? stack1 : "")
    + " \"$file\"\n      chmod 0660 \"$file\"\n    fi\n  done\n  if [ -d \"$1/.$2-litestream\" ]; then\n    chgrp -R "
    + ((stack1 = (((helper = lookupProperty(helpers,"group") || alias1(depth0, "group", {"start":{"line":113,"column":15},"end":{"line":113,"column":20}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"group","hash":{},"data":data,"loc":{"start":{"line":113,"column":13},"end":{"line":113,"column":22}}}) : helper))) != null ? stack1 : "")
    + " \"$1/.$2-litestream\"\n    chmod -R u+rwX,g+rwX,o-rwx \"$1/.$2-litestream\"\n  fi\n}\n# Warns when the service user cannot reach a directory (search permission on each parent).\ncheck_reachable() {\n  runuser -u "
    + ((stack1 = (((helper = lookupProperty(helpers,"user") || alias1(depth0, "user", {"start":{"line":119,"column":15},"end":{"line":119,"column":19}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"user","hash":{},"data":data,"loc":{"start":{"line":119,"column":13},"end":{"line":119,"column":21}}}) : helper))) != null ? stack1 : "")
    + " -- test -w \"$1\" ||\n    printf 'install-"
    + ((stack1 = (((helper = lookupProperty(helpers,"serviceName") || alias1(depth0, "serviceName", {"start":{"line":120,"column":22},"end":{"line":120,"column":33}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"serviceName","hash":{},"data":data,"loc":{"start":{"line":120,"column":20},"end":{"line":120,"column":35}}}) : helper))) != null ? stack1 : "")
    + ": warning: "
    + ((stack1 = (((helper = lookupProperty(helpers,"user") || alias1(depth0, "user", {"start":{"line":120,"column":48},"end":{"line":120,"column":52}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"user","hash":{},"data":data,"loc":{"start":{"line":120,"column":46},"end":{"line":120,"column":54}}}) : helper))) != null ? stack1 : "")
    + " cannot reach %s: it needs search (x) permission on each parent directory\\n' \"$1\" >&2\n}\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"shareDatabases"),{"name":"if","hash":{},"fn":container.program(17, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":122,"column":0},"end":{"line":124,"column":7}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"replicaDirs"),{"name":"if","hash":{},"fn":container.program(18, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":125,"column":0},"end":{"line":127,"column":7}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(lookupProperty(depth0,"sftpKeys"),"length"),{"name":"if","hash":{},"fn":container.program(19, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":128,"column":0},"end":{"line":137,"column":7}}})) != null ? stack1 : "")
    + "\n# 4. Config, credentials, restore script, units and drop-ins\nchanged=\"\"\ninstall_file() {\n  if [ ! -f \"$4\" ] || ! cmp -s \"$3\" \"$4\"; then\n    changed=yes\n  fi\n  install -D -m \"$1\" -o root -g \"$2\" \"$3\" \"$4\"\n}\ninstall -d -m 0750 -o root -g "
    + ((stack1 = (((helper = lookupProperty(helpers,"group") || alias1(depth0, "group", {"start":{"line":147,"column":32},"end":{"line":147,"column":37}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"group","hash":{},"data":data,"loc":{"start":{"line":147,"column":30},"end":{"line":147,"column":39}}}) : helper))) != null ? stack1 : "")
    + " "
    + ((stack1 = (((helper = lookupProperty(helpers,"configDir") || alias1(depth0, "configDir", {"start":{"line":147,"column":42},"end":{"line":147,"column":51}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"configDir","hash":{},"data":data,"loc":{"start":{"line":147,"column":40},"end":{"line":147,"column":53}}}) : helper))) != null ? stack1 : "")
    + "\n"
    + ((stack1 = lookupProperty(helpers,"each").call(alias2,lookupProperty(depth0,"installs"),{"name":"each","hash":{},"fn":container.program(21, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":148,"column":0},"end":{"line":150,"column":9}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"envFile"),{"name":"if","hash":{},"fn":container.program(22, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":151,"column":0},"end":{"line":162,"column":7}}})) != null ? stack1 : "")
    + "\n# 5. Enable and start. Without a running systemd (an image build, a chroot) the unit is only enabled:\n# systemctl daemon-reload and start would fail there; it starts at the next boot.\nif [ ! -d /run/systemd/system ]; then\n  systemctl enable \"$UNIT\"\n  echo \"systemd is not running here (an image build?): $UNIT is enabled and starts at boot; nothing was started\"\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"envFile"),{"name":"if","hash":{},"fn":container.program(24, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":169,"column":0},"end":{"line":173,"column":7}}})) != null ? stack1 : "")
    + "  exit 0\nfi\nsystemctl daemon-reload\nsystemctl enable \"$UNIT\"\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"envFile"),{"name":"if","hash":{},"fn":container.program(25, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":178,"column":0},"end":{"line":183,"column":7}}})) != null ? stack1 : "")
    + "if ! systemctl is-active --quiet \"$UNIT\"; then\n  systemctl start \"$UNIT\"\nelif [ -n \"$changed\" ]; then\n  printf 'Restarting %s for the new configuration (%s restart with it)\\n' \"$UNIT\" "
    + ((stack1 = (((helper = lookupProperty(helpers,"appUnitsText") || alias1(depth0, "appUnitsText", {"start":{"line":187,"column":84},"end":{"line":187,"column":96}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"appUnitsText","hash":{},"data":data,"loc":{"start":{"line":187,"column":82},"end":{"line":187,"column":98}}}) : helper))) != null ? stack1 : "")
    + "\n  systemctl restart \"$UNIT\"\nfi\n"
    + ((stack1 = lookupProperty(helpers,"each").call(alias2,lookupProperty(depth0,"appUnitWords"),{"name":"each","hash":{},"fn":container.program(26, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":190,"column":0},"end":{"line":193,"column":9}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"missingNotes"),{"name":"if","hash":{},"fn":container.program(27, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":194,"column":0},"end":{"line":196,"column":7}}})) != null ? stack1 : "")
    + "systemctl --no-pager --lines=5 status \"$UNIT\"\n";
},"useData":true},
  "operations-drill.sh.hbs": {"0":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "#   "
    + ((stack1 = (((helper = lookupProperty(helpers,"heartbeatEnv") || container.strict(depth0, "heartbeatEnv", {"start":{"line":13,"column":6},"end":{"line":13,"column":18}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"heartbeatEnv","hash":{},"data":data,"loc":{"start":{"line":13,"column":4},"end":{"line":13,"column":20}}}) : helper))) != null ? stack1 : "")
    + "  pinged on pass, <url>/fail otherwise (unset: no ping)\n";
},"1":function(container,depth0,helpers,partials,data) {
    return "  run_litestream ltx -config \"$config\" -level all \"$1\" | awk 'NR > 1 && $5 > newest { newest = $5 } END { print newest }'\n";
},"2":function(container,depth0,helpers,partials,data) {
    return "  run_litestream generations -config \"$config\" \"$1\" | awk 'NR > 1 && $5 > newest { newest = $5 } END { print newest }'\n";
},"3":function(container,depth0,helpers,partials,data) {
    return "  if ! command -v sqlite3 >/dev/null 2>&1; then report inconclusive \"$db\" \"restored, but sqlite3 is not installed for PRAGMA integrity_check\"; return; fi\n  result=$(sqlite3 \"$out\" 'PRAGMA integrity_check;' 2>&1)\n  if [ \"$result\" != ok ]; then report fail \"$db\" \"integrity check failed: $(printf '%s' \"$result\" | head -n 1 | cut -c1-300)\"; return; fi\n";
},"4":function(container,depth0,helpers,partials,data) {
    var stack1, alias1=container.strict, alias2=container.lambda, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "\n# The app side writes the sentinel (docs/operations.md, \"Sentinel\"); the drill only reads the restored copy.\ncheck_sentinel() { # database restored-copy\n  if ! command -v sqlite3 >/dev/null 2>&1; then report inconclusive \"$1\" \"restored, but sqlite3 is not installed to read the sentinel "
    + ((stack1 = alias2(alias1(lookupProperty(depth0,"sentinel"), "label", {"start":{"line":77,"column":136},"end":{"line":77,"column":150}} ), depth0)) != null ? stack1 : "")
    + "\"; return; fi\n  if ! newest=$(sqlite3 -readonly \"$2\" "
    + ((stack1 = alias2(alias1(lookupProperty(depth0,"sentinel"), "query", {"start":{"line":78,"column":41},"end":{"line":78,"column":55}} ), depth0)) != null ? stack1 : "")
    + " 2>\"$work/sentinel.err\"); then\n    if grep -Eq 'no such (table|column)' \"$work/sentinel.err\"; then report fail \"$1\" \"no sentinel in the restored copy: $(last_line \"$work/sentinel.err\") (the app must write "
    + ((stack1 = alias2(alias1(lookupProperty(depth0,"sentinel"), "label", {"start":{"line":79,"column":176},"end":{"line":79,"column":190}} ), depth0)) != null ? stack1 : "")
    + "; docs/operations.md, \\\"Sentinel\\\")\"\n    else report inconclusive \"$1\" \"cannot read the sentinel "
    + ((stack1 = alias2(alias1(lookupProperty(depth0,"sentinel"), "label", {"start":{"line":80,"column":62},"end":{"line":80,"column":76}} ), depth0)) != null ? stack1 : "")
    + ": $(last_line \"$work/sentinel.err\")\"; fi\n    return\n  fi\n  case $newest in\n    '') report fail \"$1\" \"no sentinel row in "
    + ((stack1 = alias2(alias1(lookupProperty(depth0,"sentinel"), "label", {"start":{"line":84,"column":47},"end":{"line":84,"column":61}} ), depth0)) != null ? stack1 : "")
    + " of the restored copy (the app never wrote one)\"; return ;;\n    *[!0-9-]*) report fail \"$1\" \"the newest "
    + ((stack1 = alias2(alias1(lookupProperty(depth0,"sentinel"), "label", {"start":{"line":85,"column":46},"end":{"line":85,"column":60}} ), depth0)) != null ? stack1 : "")
    + " is not a timestamp (ISO 8601 UTC text or Unix seconds)\"; return ;;\n  esac\n  age=$(( $(date +%s) - newest ))\n  if [ \"$age\" -gt "
    + ((stack1 = alias2(alias1(lookupProperty(depth0,"sentinel"), "maxAgeSeconds", {"start":{"line":88,"column":20},"end":{"line":88,"column":42}} ), depth0)) != null ? stack1 : "")
    + " ]; then report fail \"$1\" \"stale: the newest sentinel "
    + ((stack1 = alias2(alias1(lookupProperty(depth0,"sentinel"), "label", {"start":{"line":88,"column":100},"end":{"line":88,"column":114}} ), depth0)) != null ? stack1 : "")
    + " is ${age}s old, more than "
    + ((stack1 = alias2(alias1(lookupProperty(depth0,"sentinel"), "maxAgeText", {"start":{"line":88,"column":145},"end":{"line":88,"column":164}} ), depth0)) != null ? stack1 : "")
    + " (freshness from the sentinel)\"; return; fi\n  report pass \"$1\" \"restored, integrity ok, newest sentinel "
    + ((stack1 = alias2(alias1(lookupProperty(depth0,"sentinel"), "label", {"start":{"line":89,"column":62},"end":{"line":89,"column":76}} ), depth0)) != null ? stack1 : "")
    + " ${age}s old (freshness from the sentinel)\"\n}\n";
},"5":function(container,depth0,helpers,partials,data) {
    var stack1, alias1=container.strict, alias2=container.lambda;

  return "drill "
    + ((stack1 = alias2(alias1(depth0, "path", {"start":{"line":108,"column":8},"end":{"line":108,"column":17}} ), depth0)) != null ? stack1 : "")
    + " "
    + ((stack1 = alias2(alias1(depth0, "name", {"start":{"line":108,"column":22},"end":{"line":108,"column":31}} ), depth0)) != null ? stack1 : "")
    + " "
    + ((stack1 = alias2(alias1(depth0, "freshness", {"start":{"line":108,"column":36},"end":{"line":108,"column":50}} ), depth0)) != null ? stack1 : "")
    + "\n";
},"6":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "  url=${"
    + ((stack1 = (((helper = lookupProperty(helpers,"heartbeatEnv") || container.strict(depth0, "heartbeatEnv", {"start":{"line":113,"column":12},"end":{"line":113,"column":24}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"heartbeatEnv","hash":{},"data":data,"loc":{"start":{"line":113,"column":9},"end":{"line":113,"column":26}}}) : helper))) != null ? stack1 : "")
    + ":-}\n  [ -n \"$url\" ] || return 0\n  if command -v curl >/dev/null 2>&1; then curl -fsS -m 30 -o /dev/null \"$url$1\" || echo \"litestream-drill: heartbeat ping failed\" >&2\n  elif command -v wget >/dev/null 2>&1; then wget -q -T 30 -O /dev/null \"$url$1\" || echo \"litestream-drill: heartbeat ping failed\" >&2\n  else echo \"litestream-drill: no curl or wget to ping the heartbeat\" >&2; fi\n";
},"7":function(container,depth0,helpers,partials,data) {
    return "  : \"$1\"\n";
},"compiler":[8,">= 4.3.0"],"main":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "#!/bin/sh\n"
    + ((stack1 = (((helper = lookupProperty(helpers,"header") || alias1(depth0, "header", {"start":{"line":2,"column":2},"end":{"line":2,"column":8}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"header","hash":{},"data":data,"loc":{"start":{"line":2,"column":0},"end":{"line":2,"column":10}}}) : helper))) != null ? stack1 : "")
    + "\n#\n# Restore drill for Litestream "
    + ((stack1 = (((helper = lookupProperty(helpers,"release") || alias1(depth0, "release", {"start":{"line":4,"column":33},"end":{"line":4,"column":40}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"release","hash":{},"data":data,"loc":{"start":{"line":4,"column":31},"end":{"line":4,"column":42}}}) : helper))) != null ? stack1 : "")
    + ", environment "
    + ((stack1 = (((helper = lookupProperty(helpers,"environment") || alias1(depth0, "environment", {"start":{"line":4,"column":58},"end":{"line":4,"column":69}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"environment","hash":{},"data":data,"loc":{"start":{"line":4,"column":56},"end":{"line":4,"column":71}}}) : helper))) != null ? stack1 : "")
    + " (docs/operations.md, \"Restore drill\").\n# Restores every database to a temporary file, checks its integrity ("
    + ((stack1 = (((helper = lookupProperty(helpers,"integrityHow") || alias1(depth0, "integrityHow", {"start":{"line":5,"column":71},"end":{"line":5,"column":83}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"integrityHow","hash":{},"data":data,"loc":{"start":{"line":5,"column":69},"end":{"line":5,"column":85}}}) : helper))) != null ? stack1 : "")
    + ") and its\n# freshness: "
    + ((stack1 = (((helper = lookupProperty(helpers,"freshnessText") || alias1(depth0, "freshnessText", {"start":{"line":6,"column":15},"end":{"line":6,"column":28}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"freshnessText","hash":{},"data":data,"loc":{"start":{"line":6,"column":13},"end":{"line":6,"column":30}}}) : helper))) != null ? stack1 : "")
    + "; never touches the live databases.\n# Exit status: 0 pass, 1 fail (a backup is missing, corrupt or stale), 2 inconclusive (storage\n# unreachable, a tool missing: nothing was verified).\n#   LITESTREAM_CONFIG  the config the replicating Litestream reads (default "
    + ((stack1 = (((helper = lookupProperty(helpers,"defaultConfig") || alias1(depth0, "defaultConfig", {"start":{"line":9,"column":78},"end":{"line":9,"column":91}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"defaultConfig","hash":{},"data":data,"loc":{"start":{"line":9,"column":76},"end":{"line":9,"column":93}}}) : helper))) != null ? stack1 : "")
    + ")\n#   LITESTREAM_BIN     the litestream binary (default: litestream on PATH)\n#   LITESTREAM_DRILL_TIMEOUT  seconds each litestream command may take (default 3600; needs timeout(1))\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"heartbeatEnv"),{"name":"if","hash":{},"fn":container.program(0, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":12,"column":0},"end":{"line":14,"column":7}}})) != null ? stack1 : "")
    + "set -u\n\n"
    + ((stack1 = (((helper = lookupProperty(helpers,"configLine") || alias1(depth0, "configLine", {"start":{"line":17,"column":2},"end":{"line":17,"column":12}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"configLine","hash":{},"data":data,"loc":{"start":{"line":17,"column":0},"end":{"line":17,"column":14}}}) : helper))) != null ? stack1 : "")
    + "\nlitestream=${LITESTREAM_BIN:-litestream}\nmax_age="
    + ((stack1 = (((helper = lookupProperty(helpers,"maxAgeSeconds") || alias1(depth0, "maxAgeSeconds", {"start":{"line":19,"column":10},"end":{"line":19,"column":23}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"maxAgeSeconds","hash":{},"data":data,"loc":{"start":{"line":19,"column":8},"end":{"line":19,"column":25}}}) : helper))) != null ? stack1 : "")
    + "\nlimit=${LITESTREAM_DRILL_TIMEOUT:-3600}\nverdict=pass\n\nwork=$(mktemp -d \"${TMPDIR:-/tmp}/litestream-drill.XXXXXX\") || { echo \"litestream-drill: inconclusive: cannot create a temporary directory\" >&2; exit 2; }\ntrap 'rm -rf \"$work\"' EXIT\ntrap 'exit 2' HUP INT TERM\n\nreport() { # verdict database reason\n  printf 'litestream-drill: %s: %s: %s\\n' \"$1\" \"$2\" \"$3\"\n  case $1 in\n    fail) verdict=fail ;;\n    inconclusive) [ \"$verdict\" = fail ] || verdict=inconclusive ;;\n  esac\n}\n\n# A restore that failed on the network says nothing about the backup.\nunreachable() {\n  grep -Eqi 'dial tcp|connection refused|no such host|i/o timeout|tls handshake|request canceled|context deadline|send request failed|connection reset|network is unreachable' \"$1\"\n}\n\n# Litestream retries unreachable storage for minutes: a bound turns a hang into \"inconclusive\" (status 124).\nrun_litestream() {\n  if command -v timeout >/dev/null 2>&1; then timeout \"$limit\" \"$litestream\" \"$@\"; else \"$litestream\" \"$@\"; fi\n}\n\nlast_line() { tail -n 1 \"$1\" | cut -c1-300; }\n\nnewest_backup() { # database: prints the newest backup file's UTC timestamp\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"v05"),{"name":"if","hash":{},"fn":container.program(1, data, 0),"inverse":container.program(2, data, 0),"data":data,"loc":{"start":{"line":48,"column":0},"end":{"line":52,"column":7}}})) != null ? stack1 : "")
    + "}\n\ndrill() { # database name freshness\n  db=$1\n  out=$work/$2.sqlite\n  run_litestream restore -config \"$config\""
    + ((stack1 = (((helper = lookupProperty(helpers,"restoreFlags") || alias1(depth0, "restoreFlags", {"start":{"line":58,"column":44},"end":{"line":58,"column":56}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"restoreFlags","hash":{},"data":data,"loc":{"start":{"line":58,"column":42},"end":{"line":58,"column":58}}}) : helper))) != null ? stack1 : "")
    + " -o \"$out\" \"$db\" >\"$work/$2.log\" 2>&1\n  status=$?\n  if [ \"$status\" -ne 0 ]; then\n    if [ \"$status\" -eq 124 ]; then report inconclusive \"$db\" \"restore timed out after ${limit}s (storage unreachable or slow)\"\n    elif unreachable \"$work/$2.log\"; then report inconclusive \"$db\" \"storage unreachable: $(last_line \"$work/$2.log\")\"\n    else report fail \"$db\" \"restore failed: $(last_line \"$work/$2.log\")\"; fi\n    return\n  fi\n"
    + ((stack1 = lookupProperty(helpers,"unless").call(alias2,lookupProperty(depth0,"builtinIntegrity"),{"name":"unless","hash":{},"fn":container.program(3, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":66,"column":0},"end":{"line":70,"column":11}}})) != null ? stack1 : "")
    + "  if [ \"$3\" = sentinel ]; then check_sentinel \"$db\" \"$out\"; else check_newest_backup \"$db\" \"$2\"; fi\n}\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"sentinel"),{"name":"if","hash":{},"fn":container.program(4, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":73,"column":0},"end":{"line":91,"column":7}}})) != null ? stack1 : "")
    + "\ncheck_newest_backup() { # database name\n  db=$1\n  if ! newest=$(newest_backup \"$db\" 2>\"$work/$2.list\") || [ -z \"$newest\" ]; then\n    if unreachable \"$work/$2.list\"; then report inconclusive \"$db\" \"storage unreachable while listing backups\"\n    else report inconclusive \"$db\" \"cannot list backups: $(last_line \"$work/$2.list\")\"; fi\n    return\n  fi\n  if ! oldest_allowed=$(date -u -d \"@$(( $(date +%s) - max_age ))\" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null); then\n    report inconclusive \"$db\" \"restored and checked, but this date(1) cannot compute the freshness bound\"; return\n  fi\n  if awk -v newest=\"$newest\" -v bound=\"$oldest_allowed\" 'BEGIN { exit !(newest < bound) }'; then report fail \"$db\" \"stale: newest backup $newest is older than "
    + ((stack1 = (((helper = lookupProperty(helpers,"maxAgeText") || alias1(depth0, "maxAgeText", {"start":{"line":103,"column":161},"end":{"line":103,"column":171}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"maxAgeText","hash":{},"data":data,"loc":{"start":{"line":103,"column":159},"end":{"line":103,"column":173}}}) : helper))) != null ? stack1 : "")
    + " (freshness from the newest backup: no sentinel for this database)\"; return; fi\n  report pass \"$db\" \"restored, integrity ok, newest backup $newest (freshness from the newest backup: no sentinel for this database)\"\n}\n\n"
    + ((stack1 = lookupProperty(helpers,"each").call(alias2,lookupProperty(depth0,"databases"),{"name":"each","hash":{},"fn":container.program(5, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":107,"column":0},"end":{"line":109,"column":9}}})) != null ? stack1 : "")
    + "\nping() {\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"heartbeatEnv"),{"name":"if","hash":{},"fn":container.program(6, data, 0),"inverse":container.program(7, data, 0),"data":data,"loc":{"start":{"line":112,"column":0},"end":{"line":120,"column":7}}})) != null ? stack1 : "")
    + "}\n\necho \"litestream-drill: verdict: $verdict\"\ncase $verdict in\n  pass) ping \"\"; exit 0 ;;\n  fail) ping /fail; exit 1 ;;\n  *) ping /fail; exit 2 ;;\nesac\n";
},"useData":true},
  "systemd-app-dropin.conf.hbs": {"0":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "# "
    + ((stack1 = (((helper = lookupProperty(helpers,"beforeAppUnit") || container.strict(depth0, "beforeAppUnit", {"start":{"line":8,"column":4},"end":{"line":8,"column":17}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"beforeAppUnit","hash":{},"data":data,"loc":{"start":{"line":8,"column":2},"end":{"line":8,"column":19}}}) : helper))) != null ? stack1 : "")
    + " then runs the beforeApp steps (a oneshot: started once every step exited 0).\n";
},"1":function(container,depth0,helpers,partials,data) {
    return ";\n#              or a beforeApp step failed";
},"compiler":[8,">= 4.3.0"],"main":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return ((stack1 = (((helper = lookupProperty(helpers,"header") || alias1(depth0, "header", {"start":{"line":1,"column":2},"end":{"line":1,"column":8}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"header","hash":{},"data":data,"loc":{"start":{"line":1,"column":0},"end":{"line":1,"column":10}}}) : helper))) != null ? stack1 : "")
    + "\n#\n# Installed as "
    + ((stack1 = (((helper = lookupProperty(helpers,"installedAs") || alias1(depth0, "installedAs", {"start":{"line":3,"column":17},"end":{"line":3,"column":28}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"installedAs","hash":{},"data":data,"loc":{"start":{"line":3,"column":15},"end":{"line":3,"column":30}}}) : helper))) != null ? stack1 : "")
    + " by the install script.\n#\n# "
    + ((stack1 = (((helper = lookupProperty(helpers,"unitName") || alias1(depth0, "unitName", {"start":{"line":5,"column":4},"end":{"line":5,"column":12}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"unitName","hash":{},"data":data,"loc":{"start":{"line":5,"column":2},"end":{"line":5,"column":14}}}) : helper))) != null ? stack1 : "")
    + " restores missing databases in ExecStartPre= and counts as started only after they\n# succeeded (Type=exec: once litestream replicate has been executed).\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"beforeAppUnit"),{"name":"if","hash":{},"fn":container.program(0, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":7,"column":0},"end":{"line":9,"column":7}}})) != null ? stack1 : "")
    + "#   After=     this unit starts only after that, so it never creates an empty database first, which\n#              the restore would then skip (the backup would be orphaned);\n#   Requires=  starting this unit starts them; if one fails, this unit is not started either\n#              (a restore failed, e.g. the storage is unreachable while a database is missing"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"beforeAppUnit"),{"name":"if","hash":{},"fn":container.program(1, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":13,"column":93},"end":{"line":14,"column":48}}})) != null ? stack1 : "")
    + "). Once that is fixed: `systemctl start "
    + ((stack1 = (((helper = lookupProperty(helpers,"appUnit") || alias1(depth0, "appUnit", {"start":{"line":14,"column":90},"end":{"line":14,"column":97}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"appUnit","hash":{},"data":data,"loc":{"start":{"line":14,"column":88},"end":{"line":14,"column":99}}}) : helper))) != null ? stack1 : "")
    + "`.\n# An explicit `systemctl stop` or `restart` of "
    + ((stack1 = (((helper = lookupProperty(helpers,"unitName") || alias1(depth0, "unitName", {"start":{"line":15,"column":49},"end":{"line":15,"column":57}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"unitName","hash":{},"data":data,"loc":{"start":{"line":15,"column":47},"end":{"line":15,"column":59}}}) : helper))) != null ? stack1 : "")
    + " stops or restarts this unit too (this\n# one first, so that Litestream's final sync has its last writes); a crash of Litestream does not\n# (Restart=always brings it back; the app keeps running). BindsTo= is not used: it would stop the\n# app whenever Litestream stops, which replication does not need.\n[Unit]\nAfter="
    + ((stack1 = (((helper = lookupProperty(helpers,"requires") || alias1(depth0, "requires", {"start":{"line":20,"column":8},"end":{"line":20,"column":16}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"requires","hash":{},"data":data,"loc":{"start":{"line":20,"column":6},"end":{"line":20,"column":18}}}) : helper))) != null ? stack1 : "")
    + "\nRequires="
    + ((stack1 = (((helper = lookupProperty(helpers,"requires") || alias1(depth0, "requires", {"start":{"line":21,"column":11},"end":{"line":21,"column":19}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"requires","hash":{},"data":data,"loc":{"start":{"line":21,"column":9},"end":{"line":21,"column":21}}}) : helper))) != null ? stack1 : "")
    + "\n";
},"useData":true},
  "systemd-before-app.service.hbs": {"0":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "User="
    + ((stack1 = (((helper = lookupProperty(helpers,"user") || container.strict(depth0, "user", {"start":{"line":21,"column":7},"end":{"line":21,"column":11}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"user","hash":{},"data":data,"loc":{"start":{"line":21,"column":5},"end":{"line":21,"column":13}}}) : helper))) != null ? stack1 : "")
    + "\n";
},"1":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "WorkingDirectory="
    + ((stack1 = (((helper = lookupProperty(helpers,"workingDirectory") || container.strict(depth0, "workingDirectory", {"start":{"line":24,"column":19},"end":{"line":24,"column":35}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"workingDirectory","hash":{},"data":data,"loc":{"start":{"line":24,"column":17},"end":{"line":24,"column":37}}}) : helper))) != null ? stack1 : "")
    + "\n";
},"2":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "EnvironmentFile="
    + ((stack1 = (((helper = lookupProperty(helpers,"environmentFile") || container.strict(depth0, "environmentFile", {"start":{"line":27,"column":18},"end":{"line":27,"column":33}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"environmentFile","hash":{},"data":data,"loc":{"start":{"line":27,"column":16},"end":{"line":27,"column":35}}}) : helper))) != null ? stack1 : "")
    + "\n";
},"3":function(container,depth0,helpers,partials,data) {
    var stack1;

  return "ExecStart="
    + ((stack1 = container.lambda(depth0, depth0)) != null ? stack1 : "")
    + "\n";
},"compiler":[8,">= 4.3.0"],"main":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return ((stack1 = (((helper = lookupProperty(helpers,"header") || alias1(depth0, "header", {"start":{"line":1,"column":2},"end":{"line":1,"column":8}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"header","hash":{},"data":data,"loc":{"start":{"line":1,"column":0},"end":{"line":1,"column":10}}}) : helper))) != null ? stack1 : "")
    + "\n#\n# Installed as /etc/systemd/system/"
    + ((stack1 = (((helper = lookupProperty(helpers,"unitName") || alias1(depth0, "unitName", {"start":{"line":3,"column":37},"end":{"line":3,"column":45}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"unitName","hash":{},"data":data,"loc":{"start":{"line":3,"column":35},"end":{"line":3,"column":47}}}) : helper))) != null ? stack1 : "")
    + " by the install script; not enabled: the drop-ins of\n# "
    + ((stack1 = (((helper = lookupProperty(helpers,"appUnits") || alias1(depth0, "appUnits", {"start":{"line":4,"column":4},"end":{"line":4,"column":12}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"appUnits","hash":{},"data":data,"loc":{"start":{"line":4,"column":2},"end":{"line":4,"column":14}}}) : helper))) != null ? stack1 : "")
    + " pull it in (Requires=) and start them only after it succeeded.\n#\n# The beforeApp steps run once, after "
    + ((stack1 = (((helper = lookupProperty(helpers,"litestreamUnit") || alias1(depth0, "litestreamUnit", {"start":{"line":6,"column":40},"end":{"line":6,"column":54}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"litestreamUnit","hash":{},"data":data,"loc":{"start":{"line":6,"column":38},"end":{"line":6,"column":56}}}) : helper))) != null ? stack1 : "")
    + " has restored the databases and before any\n# app unit starts, in order; the first step that fails stops the others and fails this unit, and the\n# apps are then not started. One unit for all apps, rather than ExecStartPre= in each app's drop-in:\n# several apps starting together would otherwise run the same steps (a migration) concurrently.\n# Restarting "
    + ((stack1 = (((helper = lookupProperty(helpers,"litestreamUnit") || alias1(depth0, "litestreamUnit", {"start":{"line":10,"column":15},"end":{"line":10,"column":29}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"litestreamUnit","hash":{},"data":data,"loc":{"start":{"line":10,"column":13},"end":{"line":10,"column":31}}}) : helper))) != null ? stack1 : "")
    + " runs them again (Requires= propagates the restart).\n[Unit]\nDescription=Steps before "
    + ((stack1 = (((helper = lookupProperty(helpers,"appUnits") || alias1(depth0, "appUnits", {"start":{"line":12,"column":27},"end":{"line":12,"column":35}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"appUnits","hash":{},"data":data,"loc":{"start":{"line":12,"column":25},"end":{"line":12,"column":37}}}) : helper))) != null ? stack1 : "")
    + ", after the restore by "
    + ((stack1 = (((helper = lookupProperty(helpers,"litestreamUnit") || alias1(depth0, "litestreamUnit", {"start":{"line":12,"column":62},"end":{"line":12,"column":76}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"litestreamUnit","hash":{},"data":data,"loc":{"start":{"line":12,"column":60},"end":{"line":12,"column":78}}}) : helper))) != null ? stack1 : "")
    + "\nAfter="
    + ((stack1 = (((helper = lookupProperty(helpers,"litestreamUnit") || alias1(depth0, "litestreamUnit", {"start":{"line":13,"column":8},"end":{"line":13,"column":22}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"litestreamUnit","hash":{},"data":data,"loc":{"start":{"line":13,"column":6},"end":{"line":13,"column":24}}}) : helper))) != null ? stack1 : "")
    + "\nRequires="
    + ((stack1 = (((helper = lookupProperty(helpers,"litestreamUnit") || alias1(depth0, "litestreamUnit", {"start":{"line":14,"column":11},"end":{"line":14,"column":25}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"litestreamUnit","hash":{},"data":data,"loc":{"start":{"line":14,"column":9},"end":{"line":14,"column":27}}}) : helper))) != null ? stack1 : "")
    + "\n\n[Service]\nType=oneshot\n# Active once every step has exited 0, until the next stop or restart.\nRemainAfterExit=yes\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"user"),{"name":"if","hash":{},"fn":container.program(0, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":20,"column":0},"end":{"line":22,"column":7}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"workingDirectory"),{"name":"if","hash":{},"fn":container.program(1, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":23,"column":0},"end":{"line":25,"column":7}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"environmentFile"),{"name":"if","hash":{},"fn":container.program(2, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":26,"column":0},"end":{"line":28,"column":7}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"each").call(alias2,lookupProperty(depth0,"steps"),{"name":"each","hash":{},"fn":container.program(3, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":29,"column":0},"end":{"line":31,"column":9}}})) != null ? stack1 : "");
},"useData":true},
  "systemd-litestream.env.hbs": {"0":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "\n# "
    + ((stack1 = (((helper = lookupProperty(helpers,"comment") || alias1(depth0, "comment", {"start":{"line":8,"column":4},"end":{"line":8,"column":11}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"comment","hash":{},"data":data,"loc":{"start":{"line":8,"column":2},"end":{"line":8,"column":13}}}) : helper))) != null ? stack1 : "")
    + "\n"
    + ((stack1 = (((helper = lookupProperty(helpers,"name") || alias1(depth0, "name", {"start":{"line":9,"column":2},"end":{"line":9,"column":6}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"name","hash":{},"data":data,"loc":{"start":{"line":9,"column":0},"end":{"line":9,"column":8}}}) : helper))) != null ? stack1 : "")
    + "=\n";
},"compiler":[8,">= 4.3.0"],"main":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return ((stack1 = (((helper = lookupProperty(helpers,"header") || alias1(depth0, "header", {"start":{"line":1,"column":2},"end":{"line":1,"column":8}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"header","hash":{},"data":data,"loc":{"start":{"line":1,"column":0},"end":{"line":1,"column":10}}}) : helper))) != null ? stack1 : "")
    + "\n#\n# The variable names only, never values. The install script copies this template to "
    + ((stack1 = (((helper = lookupProperty(helpers,"envPath") || alias1(depth0, "envPath", {"start":{"line":3,"column":86},"end":{"line":3,"column":93}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"envPath","hash":{},"data":data,"loc":{"start":{"line":3,"column":84},"end":{"line":3,"column":95}}}) : helper))) != null ? stack1 : "")
    + "\n# (owner root, mode 0600) when that file does not exist yet, and never overwrites it: fill in the values\n# there, not here (this file is committed).\n"
    + ((stack1 = lookupProperty(helpers,"each").call(alias2,lookupProperty(depth0,"variables"),{"name":"each","hash":{},"fn":container.program(0, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":6,"column":0},"end":{"line":10,"column":9}}})) != null ? stack1 : "");
},"useData":true},
  "systemd-litestream.service.hbs": {"0":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "# Credentials, as environment variables (this file is mode 0600, root only).\nEnvironmentFile="
    + ((stack1 = (((helper = lookupProperty(helpers,"envPath") || container.strict(depth0, "envPath", {"start":{"line":24,"column":18},"end":{"line":24,"column":25}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"envPath","hash":{},"data":data,"loc":{"start":{"line":24,"column":16},"end":{"line":24,"column":27}}}) : helper))) != null ? stack1 : "")
    + "\n";
},"1":function(container,depth0,helpers,partials,data) {
    var stack1, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "# Restore each missing database from its latest backup before anything can create an empty one: no\n# backup yet is a fresh start, a database that is present is left untouched, and a 0-byte file (an\n# app that opened the database first) is set aside so that the backup is restored (docs/lifecycle.md).\n# The install script puts the restore script next to the config.\n"
    + ((stack1 = lookupProperty(helpers,"if").call(depth0 != null ? depth0 : (container.nullContext || {}),lookupProperty(depth0,"v05"),{"name":"if","hash":{},"fn":container.program(2, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":31,"column":0},"end":{"line":34,"column":7}}})) != null ? stack1 : "");
},"2":function(container,depth0,helpers,partials,data) {
    return "# (The config's restore-if-db-not-exists would restore too, but only after this unit counts as\n# started, and it skips a 0-byte file.)\n";
},"3":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "# Settings read at start-up from the EnvironmentFile must be set: Litestream would otherwise use an\n# empty value (docs/storage.md). A missing one fails the start with its name in the journal.\nExecStartPre="
    + ((stack1 = (((helper = lookupProperty(helpers,"startupCheck") || container.strict(depth0, "startupCheck", {"start":{"line":39,"column":15},"end":{"line":39,"column":27}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"startupCheck","hash":{},"data":data,"loc":{"start":{"line":39,"column":13},"end":{"line":39,"column":29}}}) : helper))) != null ? stack1 : "")
    + "\n";
},"4":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return ((stack1 = (((helper = lookupProperty(helpers,"restores") || container.strict(depth0, "restores", {"start":{"line":42,"column":2},"end":{"line":42,"column":10}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"restores","hash":{},"data":data,"loc":{"start":{"line":42,"column":0},"end":{"line":42,"column":12}}}) : helper))) != null ? stack1 : "")
    + "\n";
},"5":function(container,depth0,helpers,partials,data) {
    var stack1, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "# restoreRetry: a failing restore is tried "
    + ((stack1 = container.lambda(container.strict(lookupProperty(depth0,"retry"), "attempts", {"start":{"line":45,"column":45},"end":{"line":45,"column":59}} ), depth0)) != null ? stack1 : "")
    + " times with back-off (the network may come up\n# after boot). The start-up may then take longer than systemd's default 90 s: the retry bounds it.\nTimeoutStartSec=infinity\n";
},"6":function(container,depth0,helpers,partials,data) {
    return "# No restore before start: restoreOnBoot is off in the project description.\n";
},"7":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "# "
    + ((stack1 = (((helper = lookupProperty(helpers,"homeRoots") || alias1(depth0, "homeRoots", {"start":{"line":70,"column":4},"end":{"line":70,"column":13}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"homeRoots","hash":{},"data":data,"loc":{"start":{"line":70,"column":2},"end":{"line":70,"column":15}}}) : helper))) != null ? stack1 : "")
    + " are replaced by an empty tmpfs; only these directories below them are visible.\nProtectHome=tmpfs\nBindPaths="
    + ((stack1 = (((helper = lookupProperty(helpers,"homeDirs") || alias1(depth0, "homeDirs", {"start":{"line":72,"column":12},"end":{"line":72,"column":20}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"homeDirs","hash":{},"data":data,"loc":{"start":{"line":72,"column":10},"end":{"line":72,"column":22}}}) : helper))) != null ? stack1 : "")
    + "\n";
},"8":function(container,depth0,helpers,partials,data) {
    return "ProtectHome=yes\n";
},"9":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "# No PrivateTmp=: Litestream writes in "
    + ((stack1 = (((helper = lookupProperty(helpers,"tmpDirs") || container.strict(depth0, "tmpDirs", {"start":{"line":77,"column":41},"end":{"line":77,"column":48}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"tmpDirs","hash":{},"data":data,"loc":{"start":{"line":77,"column":39},"end":{"line":77,"column":50}}}) : helper))) != null ? stack1 : "")
    + ".\n";
},"10":function(container,depth0,helpers,partials,data) {
    return "PrivateTmp=yes\n";
},"11":function(container,depth0,helpers,partials,data) {
    return "CapabilityBoundingSet=\n";
},"compiler":[8,">= 4.3.0"],"main":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return ((stack1 = (((helper = lookupProperty(helpers,"header") || alias1(depth0, "header", {"start":{"line":1,"column":2},"end":{"line":1,"column":8}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"header","hash":{},"data":data,"loc":{"start":{"line":1,"column":0},"end":{"line":1,"column":10}}}) : helper))) != null ? stack1 : "")
    + "\n#\n# Installed as /etc/systemd/system/"
    + ((stack1 = (((helper = lookupProperty(helpers,"unitName") || alias1(depth0, "unitName", {"start":{"line":3,"column":37},"end":{"line":3,"column":45}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"unitName","hash":{},"data":data,"loc":{"start":{"line":3,"column":35},"end":{"line":3,"column":47}}}) : helper))) != null ? stack1 : "")
    + " by the install script next to this file; a unit there\n# takes precedence over the one the Litestream .deb ships in /usr/lib/systemd/system.\n# Logs: journalctl -u "
    + ((stack1 = (((helper = lookupProperty(helpers,"unitName") || alias1(depth0, "unitName", {"start":{"line":5,"column":24},"end":{"line":5,"column":32}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"unitName","hash":{},"data":data,"loc":{"start":{"line":5,"column":22},"end":{"line":5,"column":34}}}) : helper))) != null ? stack1 : "")
    + "\n[Unit]\nDescription="
    + ((stack1 = (((helper = lookupProperty(helpers,"description") || alias1(depth0, "description", {"start":{"line":7,"column":14},"end":{"line":7,"column":25}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"description","hash":{},"data":data,"loc":{"start":{"line":7,"column":12},"end":{"line":7,"column":27}}}) : helper))) != null ? stack1 : "")
    + "\nDocumentation=https://litestream.io/reference/replicate/\nAfter=network-online.target\nWants=network-online.target\n\n[Service]\n# The unit counts as started only once every ExecStartPre= has succeeded and litestream has been\n# executed; the app units, ordered After= this unit by their drop-ins, therefore start after the\n# restores: "
    + ((stack1 = (((helper = lookupProperty(helpers,"appUnits") || alias1(depth0, "appUnits", {"start":{"line":15,"column":14},"end":{"line":15,"column":22}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"appUnits","hash":{},"data":data,"loc":{"start":{"line":15,"column":12},"end":{"line":15,"column":24}}}) : helper))) != null ? stack1 : "")
    + ".\nType=exec\nUser="
    + ((stack1 = (((helper = lookupProperty(helpers,"user") || alias1(depth0, "user", {"start":{"line":17,"column":7},"end":{"line":17,"column":11}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"user","hash":{},"data":data,"loc":{"start":{"line":17,"column":5},"end":{"line":17,"column":13}}}) : helper))) != null ? stack1 : "")
    + "\nGroup="
    + ((stack1 = (((helper = lookupProperty(helpers,"group") || alias1(depth0, "group", {"start":{"line":18,"column":8},"end":{"line":18,"column":13}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"group","hash":{},"data":data,"loc":{"start":{"line":18,"column":6},"end":{"line":18,"column":15}}}) : helper))) != null ? stack1 : "")
    + "\n# Files Litestream creates (-wal/-shm, .<db>-litestream, file replicas) stay writable for the\n# group it shares with the app, and nothing is readable by others.\nUMask=0007\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"hasEnv"),{"name":"if","hash":{},"fn":container.program(0, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":22,"column":0},"end":{"line":25,"column":7}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"restores"),{"name":"if","hash":{},"fn":container.program(1, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":26,"column":0},"end":{"line":35,"column":7}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"startupCheck"),{"name":"if","hash":{},"fn":container.program(3, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":36,"column":0},"end":{"line":40,"column":7}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"restores"),{"name":"if","hash":{},"fn":container.program(4, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":41,"column":0},"end":{"line":43,"column":7}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"retry"),{"name":"if","hash":{},"fn":container.program(5, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":44,"column":0},"end":{"line":48,"column":7}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"unless").call(alias2,lookupProperty(depth0,"restores"),{"name":"unless","hash":{},"fn":container.program(6, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":49,"column":0},"end":{"line":51,"column":11}}})) != null ? stack1 : "")
    + "ExecStart="
    + ((stack1 = (((helper = lookupProperty(helpers,"execStart") || alias1(depth0, "execStart", {"start":{"line":52,"column":12},"end":{"line":52,"column":21}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"execStart","hash":{},"data":data,"loc":{"start":{"line":52,"column":10},"end":{"line":52,"column":23}}}) : helper))) != null ? stack1 : "")
    + "\nRestart=always\nRestartSec=5s\n# On stop, SIGTERM goes to Litestream alone (KillMode=mixed), which then syncs the last changes; the\n# app units, ordered after this unit, are stopped before it. SIGKILL follows after TimeoutStopSec=,\n# the grace period every target of this project asks for:\n#   "
    + ((stack1 = (((helper = lookupProperty(helpers,"graceReason") || alias1(depth0, "graceReason", {"start":{"line":58,"column":6},"end":{"line":58,"column":17}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"graceReason","hash":{},"data":data,"loc":{"start":{"line":58,"column":4},"end":{"line":58,"column":19}}}) : helper))) != null ? stack1 : "")
    + ".\n# systemd's own default is 90s (the 10s is Docker's); it is set here so that a lower\n# DefaultTimeoutStopSec= on the host cannot cut the final sync short.\nKillMode=mixed\nKillSignal=SIGTERM\nTimeoutStopSec="
    + ((stack1 = (((helper = lookupProperty(helpers,"graceSeconds") || alias1(depth0, "graceSeconds", {"start":{"line":63,"column":17},"end":{"line":63,"column":29}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"graceSeconds","hash":{},"data":data,"loc":{"start":{"line":63,"column":15},"end":{"line":63,"column":31}}}) : helper))) != null ? stack1 : "")
    + "s\n\n# Hardening. Litestream writes next to each database (-wal, -shm, .<db>-litestream) and into file\n# replicas: those directories are the only writable ones.\nProtectSystem=strict\nReadWritePaths="
    + ((stack1 = (((helper = lookupProperty(helpers,"readWritePaths") || alias1(depth0, "readWritePaths", {"start":{"line":68,"column":17},"end":{"line":68,"column":31}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"readWritePaths","hash":{},"data":data,"loc":{"start":{"line":68,"column":15},"end":{"line":68,"column":33}}}) : helper))) != null ? stack1 : "")
    + "\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"homeDirs"),{"name":"if","hash":{},"fn":container.program(7, data, 0),"inverse":container.program(8, data, 0),"data":data,"loc":{"start":{"line":69,"column":0},"end":{"line":75,"column":7}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"tmpDirs"),{"name":"if","hash":{},"fn":container.program(9, data, 0),"inverse":container.program(10, data, 0),"data":data,"loc":{"start":{"line":76,"column":0},"end":{"line":80,"column":7}}})) != null ? stack1 : "")
    + "PrivateDevices=yes\nPrivateMounts=yes\nNoNewPrivileges=yes\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"dropCapabilities"),{"name":"if","hash":{},"fn":container.program(11, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":84,"column":0},"end":{"line":86,"column":7}}})) != null ? stack1 : "")
    + "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6\nRestrictNamespaces=yes\nRestrictRealtime=yes\nRestrictSUIDSGID=yes\nLockPersonality=yes\nMemoryDenyWriteExecute=yes\nProtectClock=yes\nProtectControlGroups=yes\nProtectHostname=yes\nProtectKernelLogs=yes\nProtectKernelModules=yes\nProtectKernelTunables=yes\nProtectProc=invisible\nProcSubset=pid\nRemoveIPC=yes\nSystemCallArchitectures=native\n# No SystemCallFilter=: a system call missing from the list would kill Litestream (SIGSYS) mid-write.\n\n[Install]\nWantedBy=multi-user.target\n";
},"useData":true},
  "systemd-restore.sh.hbs": {"0":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "# With no backup of its own yet, DATABASE is seeded from environment "
    + ((stack1 = (((helper = lookupProperty(helpers,"seedFrom") || container.strict(depth0, "seedFrom", {"start":{"line":10,"column":71},"end":{"line":10,"column":79}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"seedFrom","hash":{},"data":data,"loc":{"start":{"line":10,"column":69},"end":{"line":10,"column":81}}}) : helper))) != null ? stack1 : "")
    + "'s backup through the\n# restore-only config, which `replicate` never reads: read-only by construction.\n";
},"1":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "case \"$db\" in\n  "
    + ((stack1 = (((helper = lookupProperty(helpers,"seededCase") || container.strict(depth0, "seededCase", {"start":{"line":18,"column":5},"end":{"line":18,"column":15}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"seededCase","hash":{},"data":data,"loc":{"start":{"line":18,"column":2},"end":{"line":18,"column":18}}}) : helper))) != null ? stack1 : "")
    + ") seeded=yes ;;\n  *) seeded=\"\" ;;\nesac\n";
},"2":function(container,depth0,helpers,partials,data) {
    var stack1;

  return ((stack1 = container.lambda(depth0, depth0)) != null ? stack1 : "")
    + "\n";
},"compiler":[8,">= 4.3.0"],"main":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "#!/bin/sh\n"
    + ((stack1 = (((helper = lookupProperty(helpers,"header") || alias1(depth0, "header", {"start":{"line":2,"column":2},"end":{"line":2,"column":8}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"header","hash":{},"data":data,"loc":{"start":{"line":2,"column":0},"end":{"line":2,"column":10}}}) : helper))) != null ? stack1 : "")
    + "\n#\n# Installed as "
    + ((stack1 = (((helper = lookupProperty(helpers,"installedAs") || alias1(depth0, "installedAs", {"start":{"line":4,"column":17},"end":{"line":4,"column":28}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"installedAs","hash":{},"data":data,"loc":{"start":{"line":4,"column":15},"end":{"line":4,"column":30}}}) : helper))) != null ? stack1 : "")
    + " by the install script. "
    + ((stack1 = (((helper = lookupProperty(helpers,"unitName") || alias1(depth0, "unitName", {"start":{"line":4,"column":56},"end":{"line":4,"column":64}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"unitName","hash":{},"data":data,"loc":{"start":{"line":4,"column":54},"end":{"line":4,"column":66}}}) : helper))) != null ? stack1 : "")
    + " runs it as\n# "
    + ((stack1 = (((helper = lookupProperty(helpers,"user") || alias1(depth0, "user", {"start":{"line":5,"column":4},"end":{"line":5,"column":8}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"user","hash":{},"data":data,"loc":{"start":{"line":5,"column":2},"end":{"line":5,"column":10}}}) : helper))) != null ? stack1 : "")
    + ", in an ExecStartPre= line per database: sh "
    + ((stack1 = (((helper = lookupProperty(helpers,"installedAs") || alias1(depth0, "installedAs", {"start":{"line":5,"column":56},"end":{"line":5,"column":67}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"installedAs","hash":{},"data":data,"loc":{"start":{"line":5,"column":54},"end":{"line":5,"column":69}}}) : helper))) != null ? stack1 : "")
    + " DATABASE\n# Restores DATABASE when it is missing or an empty file (0 bytes, no -wal: left by an app that opened\n# it before the restore) and a backup exists; no backup is a fresh start; a database that is present\n# is left untouched (docs/lifecycle.md).\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"seedFrom"),{"name":"if","hash":{},"fn":container.program(0, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":9,"column":0},"end":{"line":12,"column":7}}})) != null ? stack1 : "")
    + "set -eu\n\ndb=$1\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"seededCase"),{"name":"if","hash":{},"fn":container.program(1, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":16,"column":0},"end":{"line":21,"column":7}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"each").call(alias2,lookupProperty(depth0,"steps"),{"name":"each","hash":{},"fn":container.program(2, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":22,"column":0},"end":{"line":24,"column":9}}})) != null ? stack1 : "")
    + "# Litestream 0.3.13 writes a restored database with mode 0600: give it to the group, for the app\n# (only a file this user owns, i.e. the one just restored).\nif [ -O \"$db\" ]; then\n  chmod 0660 \"$db\"\nfi\n";
},"useData":true},
};

export type TemplateName =
  | "compose-op-env.hbs"
  | "dockerfile-litestream.hbs"
  | "entrypoint.sh.hbs"
  | "install-litestream.sh.hbs"
  | "operations-drill.sh.hbs"
  | "systemd-app-dropin.conf.hbs"
  | "systemd-before-app.service.hbs"
  | "systemd-litestream.env.hbs"
  | "systemd-litestream.service.hbs"
  | "systemd-restore.sh.hbs";
