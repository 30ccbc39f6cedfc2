"""Read a rendered form back as the POST data a browser would send, so tests change one field."""


def _value(value):
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return "" if value is None else str(value)


def _fields(form, data):
    for bound in form:
        value = bound.value()
        if value is False or value is None:
            continue
        data[bound.html_name] = "on" if value is True else _value(value)


def form_data(response, *names):
    """The initial data of the context's forms and formsets named `names`."""
    data = {}
    for name in names:
        form = response.context[name]
        if hasattr(form, "management_form"):
            _fields(form.management_form, data)
            for sub in form.forms:
                _fields(sub, data)
        else:
            _fields(form, data)
    return data


def admin_form_data(response):
    """The initial data of an admin change page: its form and every inline formset."""
    data = {}
    _fields(response.context["adminform"].form, data)
    for inline in response.context["inline_admin_formsets"]:
        _fields(inline.formset.management_form, data)
        for sub in inline.formset.forms:
            _fields(sub, data)
    return data
