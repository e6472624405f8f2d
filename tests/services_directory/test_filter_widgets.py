"""The filter form's widgets: their HTML is remembered by their whole context, never stale."""

from django.forms.renderers import DjangoTemplates
from django.test import Client
from django.urls import reverse

from services_directory.forms import MemoizedWidgetRenderer, ServiceSearchForm, widget_renderer
from tests.factories import make_commune

URL = reverse("services_directory:search")


def test_the_widgets_are_the_html_djangos_renderer_writes(directory):
    data = {"q": "creche", "commune": "sergines", "age": "abc", "gratuit": "on"}
    remembered = ServiceSearchForm(data, renderer=MemoizedWidgetRenderer())
    plain = ServiceSearchForm(data, renderer=DjangoTemplates())
    for name in remembered.fields:
        assert str(remembered[name]) == str(plain[name])
        assert str(remembered[name]) == str(remembered[name])  # the remembered copy too


def test_a_second_page_renders_no_list_of_options_again(directory, monkeypatch):
    Client().get(URL, {"q": "creche", "commune": "sergines"})
    rendered = []
    render = DjangoTemplates.render

    def recording(self, template_name, *args, **kwargs):
        rendered.append(template_name)
        return render(self, template_name, *args, **kwargs)

    monkeypatch.setattr(DjangoTemplates, "render", recording)
    response = Client().get(URL, {"q": "creche", "commune": "sergines"})
    assert response.status_code == 200
    assert "django/forms/widgets/text.html" in rendered  # a text box is cheap: rendered
    assert "django/forms/widgets/select.html" not in rendered  # the long lists: remembered


def test_a_new_commune_shows_in_the_list_at_once(directory):
    assert "Villeneuve-la-Guyonne" not in Client().get(URL).text
    make_commune(name="Villeneuve-la-Guyonne", slug="villeneuve-la-guyonne")
    assert '<option value="villeneuve-la-guyonne">Villeneuve-la-Guyonne</option>' in (
        Client().get(URL).text
    )


def test_the_chosen_value_is_selected_in_the_remembered_html(directory):
    Client().get(URL, {"commune": "pont-sur-yonne"})
    html = Client().get(URL, {"commune": "sergines"}).text
    assert '<option value="sergines" selected>Sergines</option>' in html
    assert '<option value="pont-sur-yonne">Pont-sur-Yonne</option>' in html


def test_it_keeps_a_bounded_number_of_widgets(directory):
    renderer = MemoizedWidgetRenderer()
    for n in range(renderer.SIZE + 10):
        form = ServiceSearchForm({"tri": str(n)}, renderer=renderer)
        str(form["tri"])
    assert len(renderer._html) == renderer.SIZE
    assert widget_renderer is ServiceSearchForm.default_renderer


def test_what_people_type_is_never_kept(directory):
    renderer = MemoizedWidgetRenderer()
    form = ServiceSearchForm({"q": "Mme Dupont violences", "age": "4"}, renderer=renderer)
    assert 'value="Mme Dupont violences"' in str(form["q"])
    str(form["age"])
    assert not renderer._html
    str(form["commune"])
    assert len(renderer._html) == 1
