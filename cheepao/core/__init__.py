"""The platform's kernel: what every app's services and views share (ADR 0017).

- `context`: who is acting, from where, through which channel (web, API, offline sync,
  CLI, background task). Every service verb takes one instead of a request.
- `errors`: refusals as one exception hierarchy with stable codes; the message a person
  reads is looked up from the code in their language, so an API can return it as data.
- `access`: one access policy per model, answering per action which objects a user may act
  on, the one object by id (the same 404 for missing and forbidden), and who may act on an
  object.

No models here; the package imports Django but no Cheepao app, so every app may import it.
"""
